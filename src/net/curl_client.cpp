// The libcurl half of libsalesint-net.so.
#include "backend.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <optional>

#include "salesint/version.hpp"

namespace salesint::net {
namespace {

void initialise_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// A response larger than this is cut off as an error: answers to webhooks
// and API calls are small, and a remote must not exhaust our memory.
constexpr std::size_t kMaxResponseBytes = std::size_t{16} << 20;

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* target) {
    auto* body = static_cast<std::string*>(target);
    if (size * count > kMaxResponseBytes - body->size()) {
        return 0;  // curl stops with CURLE_WRITE_ERROR
    }
    body->append(data, size * count);
    return size * count;
}

// A header with CR, LF or another control character would let a value add
// headers of its own: it is never sent (the command layer refuses such values
// first; this is the last line of defence).
bool is_safe_header(const Header& header) {
    auto safe = [](const std::string& text) {
        for (char c : text) {
            auto byte = static_cast<unsigned char>(c);
            if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
                return false;
            }
        }
        return true;
    };
    return !header.name.empty() && safe(header.name) && safe(header.value) &&
           header.name.find(':') == std::string::npos;
}

std::size_t append_header(char* data, std::size_t size, std::size_t count, void* target) {
    std::string_view line(data, size * count);
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        auto trim = [](std::string_view text) {
            while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
                text.remove_prefix(1);
            while (!text.empty() &&
                   (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) {
                text.remove_suffix(1);
            }
            return std::string(text);
        };
        static_cast<HeaderList*>(target)->push_back(
            {trim(line.substr(0, colon)), trim(line.substr(colon + 1))});
    } else if (line.rfind("HTTP/", 0) == 0) {
        static_cast<HeaderList*>(target)->clear();  // a new response (after 100 Continue)
    }
    return size * count;
}

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// One request with the protections every request shares: no header with a
// control character, http and https only, no redirects followed, a time
// limit for the whole exchange, a bounded response. A GET when body is
// nullopt, else a POST of it.
HttpResponse perform(const std::string& url, const HeaderList& headers,
                     std::optional<std::string_view> body, std::chrono::milliseconds timeout) {
    initialise_once();
    HttpResponse response;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
        response.error = "cannot initialise libcurl";
        return response;
    }
    curl_slist* list = nullptr;
    for (const auto& header : headers) {
        if (!is_safe_header(header)) {
            curl_slist_free_all(list);
            response.error = "header " + header.name + " holds a control character; not sent";
            return response;
        }
        list = curl_slist_append(list, (header.name + ": " + header.value).c_str());
    }
    list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
    std::unique_ptr<curl_slist, CurlDeleter> header_list(list);
    const std::string agent = std::string("salesint/") + kVersion;
    char error[CURL_ERROR_SIZE] = "";
    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    if (body) {
        curl_easy_setopt(handle, CURLOPT_POST, 1L);
        curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body->data());
        curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(body->size()));
    } else {
        curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(handle, CURLOPT_USERAGENT, agent.c_str());
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);  // a 3xx is the answer
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, append_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response.headers);
    CURLcode code = curl_easy_perform(handle);
    curl_off_t elapsed_us = 0;
    if (curl_easy_getinfo(handle, CURLINFO_TOTAL_TIME_T, &elapsed_us) == CURLE_OK) {
        response.elapsed_ms = static_cast<std::int64_t>(elapsed_us / 1000);
    }
    if (code == CURLE_WRITE_ERROR && response.body.size() > 0) {
        response.error = "the response was larger than " + std::to_string(kMaxResponseBytes >> 20) +
                         " MiB; not read further";
        return response;
    }
    if (code != CURLE_OK) {
        response.timed_out = code == CURLE_OPERATION_TIMEDOUT;
        response.error = *error != '\0' ? error : curl_easy_strerror(code);
        return response;
    }
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace

HttpResponse curl_post(const std::string& url, const HeaderList& headers, std::string_view body,
                       std::chrono::milliseconds timeout) {
    return perform(url, headers, body, timeout);
}

HttpResponse curl_get(const std::string& url, const HeaderList& headers,
                      std::chrono::milliseconds timeout) {
    return perform(url, headers, std::nullopt, timeout);
}

}  // namespace salesint::net
