// Records from the connector's HTTP endpoint, one page at a time (README.md,
// "Importing from a connector").

#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <thread>

#include "salesint/errors.hpp"
#include "salesint/execute/connector_auth.hpp"
#include "salesint/jobs/records.hpp"
#include "salesint/net/http_client.hpp"
#include "salesint/net/retry.hpp"
#include "salesint/util/json_text.hpp"

namespace salesint::jobs {
namespace {

constexpr std::chrono::milliseconds kTimeout{30'000};
constexpr net::Backoff kBackoff{std::chrono::milliseconds(200), std::chrono::milliseconds(5'000)};

// RFC 3986: everything but the unreserved characters percent-encoded.
std::string url_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string encoded;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
            (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
            encoded += c;
        } else {
            encoded += '%';
            encoded += kHex[byte >> 4];
            encoded += kHex[byte & 0xF];
        }
    }
    return encoded;
}

std::string answer_of(const net::HttpResponse& response) {
    if (response.timed_out) {
        return "timed out";
    }
    if (response.status == 0) {
        return response.error.empty() ? std::string("no response") : response.error;
    }
    return "HTTP " + std::to_string(response.status);
}

class PageSource : public RecordSource {
  public:
    explicit PageSource(const PageRequest& request) : request_(request) {
        const Connector& connector = request.connector;
        if (connector.base_url.empty()) {
            throw usage_error("connector " + connector.system_code + " has no base_url")
                .with_field("base_url")
                .with_hint(Hint::kSetConnectorUrl, {connector.system_code});
        }
        if (connector.auth_method == "hmac") {
            throw usage_error("connector " + connector.system_code +
                              ": hmac connectors sign POST bodies; pages are fetched with "
                              "bearer, basic or api_key")
                .with_field("auth_method");
        }
        std::string base = connector.base_url;
        while (!base.empty() && base.back() == '/') {
            base.pop_back();
        }
        endpoint_ = base + "/" + url_encode(request.entity_type);
        execute::LiveRequest live;
        execute::authenticate(live, connector);
        headers_ = live.secret_headers;
        headers_.insert(headers_.end(), live.headers.begin(), live.headers.end());
        headers_.push_back({"Accept", "application/json"});
    }

    bool next_batch(std::vector<SourceRecord>& out, std::size_t max) override {
        std::size_t taken = 0;
        while (taken < max) {
            if (pending_.empty()) {
                if (done_) {
                    break;
                }
                fetch_page();
                continue;
            }
            out.push_back(std::move(pending_.front()));
            pending_.pop_front();
            ++taken;
        }
        return !(done_ && pending_.empty());
    }

    std::string name() const override { return endpoint_; }

  private:
    void fetch_page() {
        std::string url = endpoint_ + "?limit=" + std::to_string(request_.page_size);
        if (cursor_) {
            url += "&cursor=" + url_encode(*cursor_);
        } else if (!request_.since.empty()) {
            url += "&since=" + url_encode(request_.since);
        }
        take_page(get(url));
    }

    // The answer of a GET, retried while the failure is transient.
    std::string get(const std::string& url) {
        const int attempts = std::max(1, request_.max_attempts);
        net::HttpResponse response;
        for (int attempt = 1;; ++attempt) {
            response = net::http_get(url, headers_, kTimeout);
            if (response.status >= 200 && response.status < 300) {
                return std::move(response.body);
            }
            if (!net::is_transient(response.status, response.timed_out)) {
                break;
            }
            if (attempt >= attempts) {
                throw transient(endpoint_ + ": unavailable after " + std::to_string(attempts) +
                                (attempts == 1 ? " attempt" : " attempts") +
                                " (last: " + answer_of(response) + ")");
            }
            std::chrono::milliseconds wait = net::full_jitter(kBackoff, attempt);
            if (auto header = net::find_header(response.headers, "Retry-After")) {
                if (auto after =
                        net::parse_retry_after(*header, std::chrono::system_clock::now())) {
                    wait = *after;
                }
            }
            std::this_thread::sleep_for(wait);
        }
        const long status = response.status;
        if (status == 401 || status == 403) {
            throw refused("the connector refused the credentials (HTTP " + std::to_string(status) +
                          ") at " + endpoint_);
        }
        if (status == 404) {
            throw not_found(endpoint_ + ": not found (HTTP 404); the connector serves no " +
                            request_.entity_type + " records there");
        }
        if (status == 400 || status == 422) {
            throw usage_error(endpoint_ + ": the request was refused as invalid (HTTP " +
                              std::to_string(status) + ")");
        }
        throw refused(endpoint_ + ": refused (HTTP " + std::to_string(status) + ")");
    }

    void take_page(const std::string& body) {
        nlohmann::json page;
        if (auto problem = read_json(body, page)) {
            throw usage_error(endpoint_ +
                              ": the answer is not JSON: " + describe(*problem, body, "answer"));
        }
        if (!page.is_object()) {
            throw usage_error(endpoint_ + ": the answer is " + std::string(page.type_name()) +
                              ", not an object with records");
        }
        auto records = page.find("records");
        if (records == page.end() || !records->is_array()) {
            throw usage_error(endpoint_ + ": the answer has no \"records\" array");
        }
        std::optional<std::string> next;
        if (auto cursor = page.find("next_cursor"); cursor != page.end() && !cursor->is_null()) {
            if (!cursor->is_string()) {
                throw usage_error(endpoint_ + ": the answer's \"next_cursor\" is " +
                                  std::string(cursor->type_name()) + ", not a string");
            }
            if (!cursor->get_ref<const std::string&>().empty()) {
                next = cursor->get<std::string>();
            }
        }
        if (next && cursor_ && *next == *cursor_) {
            throw usage_error(endpoint_ + ": the answer's \"next_cursor\" is the cursor it was " +
                              "asked for; the pages would never end");
        }
        for (const nlohmann::json& element : *records) {
            SourceRecord record;
            record.row = next_row_++;
            record.raw = element.dump();
            if (element.is_object()) {
                record.json = record.raw;
            } else {
                record.problem = "not a JSON object";
            }
            pending_.push_back(std::move(record));
        }
        cursor_ = std::move(next);
        done_ = !cursor_;
    }

    PageRequest request_;
    std::string endpoint_;
    net::HeaderList headers_;
    std::deque<SourceRecord> pending_;
    std::optional<std::string> cursor_;
    bool done_ = false;
    std::int64_t next_row_ = 1;
};

}  // namespace

std::unique_ptr<RecordSource> open_connector_source(const PageRequest& request) {
    return std::make_unique<PageSource>(request);
}

}  // namespace salesint::jobs
