// salesint inbox list | show ID
#include <memory>

#include "context.hpp"
#include "groups.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes =
    R"(JSON shape of an inbox entry (list: an array of them, without headers and body):
  {"tenant_id", "id", "delivery_id", "scheme", "verdict", "received_at", "processed_at",
   "body_bytes", "headers": {"Name": "value"}, "body" (UTF-8 text) or "body_base64" (other bytes)}
Deliveries are stored once per scheme and delivery id (webhook-id, X-GitHub-Delivery,
X-Correlation-ID, or a digest of the signature when the scheme has no id).)";

const std::vector<Column> kColumns{
    {"delivery_id", "DELIVERY ID"}, {"scheme", "SCHEME"},          {"verdict", "VERDICT"},
    {"received_at", "RECEIVED"},    {"processed_at", "FORWARDED"}, {"body_bytes", "BYTES"},
};

OrderedJson summary_json(const InboxEntry& entry, const std::string& tenant) {
    OrderedJson object = OrderedJson::object();
    object["tenant_id"] = tenant;
    object["id"] = entry.id;
    object["delivery_id"] = entry.delivery_id;
    object["scheme"] = entry.scheme;
    object["verdict"] = entry.verdict;
    object["received_at"] = entry.received_at;
    object["processed_at"] =
        entry.processed_at.empty() ? OrderedJson() : OrderedJson(entry.processed_at);
    object["body_bytes"] = entry.body.size();
    return object;
}

OrderedJson full_json(const InboxEntry& entry, const std::string& tenant) {
    OrderedJson object = summary_json(entry, tenant);
    object["headers"] = OrderedJson::parse(entry.headers_json, nullptr, false);
    if (is_valid_utf8(entry.body)) {
        object["body"] = entry.body;
    } else {
        object["body_base64"] = base64_encode(entry.body);
    }
    return object;
}

}  // namespace

void install_inbox(Command group) {
    Context& context = group.context();
    group.footer(kShapes);
    group.add("list", "List received deliveries, newest first", [&context] {
        context.print_each(kColumns, context.store().list_inbox(), summary_json);
    });
    auto id = std::make_shared<std::string>();
    group
        .add("show", "Show one delivery: headers, body, verdict, received time",
             [=, &context] {
                 auto found = context.store().find_inbox(*id);
                 if (found.empty()) {
                     throw not_found("no delivery " + *id + " in the inbox of tenant '" +
                                     context.store().tenant() + "'");
                 }
                 for (const auto& entry : found) {
                     context.print_object(full_json(entry, context.store().tenant()));
                 }
             })
        .positional("DELIVERY_ID", *id, "Delivery id")
        .required()
        .identifier();
}

}  // namespace salesint::cli
