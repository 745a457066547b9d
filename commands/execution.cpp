// salesint execution list | show ID | retry ID
#include <iostream>
#include <memory>

#include "context.hpp"
#include "execute_options.hpp"
#include "groups.hpp"
#include "option_values.hpp"
#include "salesint/domain/json_shapes.hpp"
#include "salesint/execute/history.hpp"
#include "salesint/execute/registry.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes = R"(JSON shape of an execution (list: an array of them):
  {"tenant_id", "execution_id", "message_id", "adapter_id", "adapter_version", "mode",
   "connector", "status", "error_code", "attempts", "retries", "duration_ms",
   "correlation_id", "causation_id", "created_at", "updated_at"}
show adds "input", "output", "error" to it, and:
  {"execution": {...}, "attempts": [{"run", "attempt", "at", "http_status", "duration_ms",
   "error"}], "facts": [{"topic", "message_id", "type", "created_at", "published_at"}],
   "dead_letters": [{"entry_id", "status", "error_code", "error_message", "attempts",
   "first_failed_at", "last_failed_at", "replay_count"}], "retries": [audit entries]}
A live run and a deterministic rehearsal of one message id are two executions;
ID is an execution id or a message id (its live execution when both exist).)";

const std::vector<Column> kColumns{
    {"updated_at", "UPDATED"}, {"execution_id", "EXECUTION"}, {"adapter_id", "ADAPTER"},
    {"mode", "MODE"},          {"status", "STATUS"},          {"error_code", "ERROR"},
    {"attempts", "ATTEMPTS"},  {"message_id", "MESSAGE"},
};

OrderedJson stored_json(const std::string& text) {
    return text.empty() ? OrderedJson() : OrderedJson::parse(text, nullptr, false);
}

OrderedJson history_json(const execute::ExecutionHistory& h, const std::string& tenant) {
    OrderedJson execution = execution_json(h.execution, tenant);
    execution["input"] = stored_json(h.execution.input);
    execution["output"] = stored_json(h.execution.output_json);
    execution["error"] = stored_json(h.execution.error_json);
    OrderedJson attempts = OrderedJson::array();
    for (const ExecutionAttempt& attempt : h.attempts) {
        attempts.push_back(execution_attempt_json(attempt));
    }
    OrderedJson facts = OrderedJson::array();
    for (const OutboxMessage& message : h.facts) {
        const OrderedJson envelope = OrderedJson::parse(message.envelope_json, nullptr, false);
        std::string type;
        if (envelope.is_object() && envelope.contains("fact") && envelope["fact"].is_object()) {
            type = envelope["fact"].value("type", std::string());
        } else if (envelope.is_object()) {
            type = envelope.value("eventType", std::string());
        }
        facts.push_back(
            {{"topic", message.topic},
             {"message_id", message.message_id},
             {"type", type},
             {"created_at", message.created_at},
             {"published_at",
              message.published_at.empty() ? OrderedJson() : OrderedJson(message.published_at)}});
    }
    OrderedJson dead_letters = OrderedJson::array();
    for (const DlqEntry& entry : h.dead_letters) {
        dead_letters.push_back({{"entry_id", entry.entry_id},
                                {"status", to_string(entry.status)},
                                {"error_code", entry.error_code},
                                {"error_message", entry.error_message},
                                {"attempts", stored_json(entry.attempts_json)},
                                {"first_failed_at", entry.first_failed_at},
                                {"last_failed_at", entry.last_failed_at},
                                {"replay_count", entry.replay_count}});
    }
    OrderedJson retries = OrderedJson::array();
    for (const AuditEntry& entry : h.retries) {
        retries.push_back(audit_json(entry, tenant));
    }
    return {{"execution", std::move(execution)},
            {"attempts", std::move(attempts)},
            {"facts", std::move(facts)},
            {"dead_letters", std::move(dead_letters)},
            {"retries", std::move(retries)}};
}

std::string text_of(const OrderedJson& value) {
    return value.is_null() ? "-" : value.is_string() ? value.get<std::string>() : value.dump();
}

void print_history_text(const OrderedJson& shown) {
    const OrderedJson& execution = shown["execution"];
    for (const char* key :
         {"execution_id", "message_id", "adapter_id", "adapter_version", "mode", "connector",
          "status", "error_code", "attempts", "retries", "duration_ms", "correlation_id",
          "causation_id", "created_at", "updated_at"}) {
        std::cout << key << ": " << escape_control(text_of(execution[key])) << "\n";
    }
    if (execution["error"].is_object()) {
        std::cout << "error: "
                  << escape_control(
                         text_of(execution["error"]["error"].value("message", OrderedJson())))
                  << "\n";
    }
    if (!execution["output"].is_null()) {
        // dump() escapes control characters inside strings.
        std::cout << "output:\n" << execution["output"].dump(2) << "\n";
    }
    std::cout << "attempts:" << (shown["attempts"].empty() ? " none (deterministic)" : "") << "\n";
    for (const auto& attempt : shown["attempts"]) {
        std::cout << "  run " << attempt["run"] << " #" << attempt["attempt"] << "  "
                  << text_of(attempt["at"]) << "  "
                  << (attempt["http_status"].is_null() ? std::string("no answer")
                                                       : "HTTP " + attempt["http_status"].dump())
                  << "  " << attempt["duration_ms"] << " ms"
                  << (attempt["error"].is_null() ? std::string()
                                                 : "  " + escape_control(text_of(attempt["error"])))
                  << "\n";
    }
    std::cout << "facts:" << (shown["facts"].empty() ? " none" : "") << "\n";
    for (const auto& fact : shown["facts"]) {
        std::cout << "  " << text_of(fact["topic"]) << "  " << text_of(fact["type"]) << "  "
                  << text_of(fact["message_id"]) << "  "
                  << (fact["published_at"].is_null() ? "unpublished"
                                                     : "published " + text_of(fact["published_at"]))
                  << "\n";
    }
    std::cout << "dead letters:" << (shown["dead_letters"].empty() ? " none" : "") << "\n";
    for (const auto& entry : shown["dead_letters"]) {
        std::cout << "  " << text_of(entry["entry_id"]) << "  " << text_of(entry["status"]) << "  "
                  << text_of(entry["error_code"]) << "  "
                  << escape_control(text_of(entry["error_message"])) << "\n";
    }
    std::cout << "retries:" << (shown["retries"].empty() ? " none" : "") << "\n";
    for (const auto& entry : shown["retries"]) {
        std::cout << "  " << text_of(entry["at"]) << "  " << escape_control(text_of(entry["actor"]))
                  << "  " << text_of(entry["old_value"]) << " -> " << text_of(entry["new_value"])
                  << "  " << escape_control(text_of(entry["reason"])) << "\n";
    }
}

}  // namespace

void install_execution(Command group) {
    Context& context = group.context();
    group.footer(kShapes);

    struct ListFlags {
        std::string adapter, status, since, message_id;
        int limit = 0;
    };
    auto list_flags = std::make_shared<ListFlags>();
    Command list = group.add("list", "List executions, most recently run first", [=, &context] {
        ExecutionFilter filter;
        filter.adapter_id = list_flags->adapter;
        if (!list_flags->status.empty()) {
            filter.status = parse_execution_status(list_flags->status);
        }
        filter.since = time_bound_option(list_flags->since, "--since");
        filter.message_id = list_flags->message_id;
        filter.limit = list_flags->limit;
        context.print_each(kColumns, context.store().list_executions(filter), execution_json);
    });
    list.option("--adapter", list_flags->adapter, "Only this Execute ID")
        .type_name("ID")
        .identifier();
    list.choice("--status", list_flags->status, {"succeeded", "failed", "dead_lettered"},
                "Only executions with this status");
    list.option("--since", list_flags->since,
                "Run at or after this time (RFC 3339, or an age: 1h, 7d)")
        .type_name("TIME");
    list.option("--message-id", list_flags->message_id, "Only this message id")
        .type_name("ID")
        .identifier();
    list.option("--limit", list_flags->limit, "At most N executions")
        .type_name("N")
        .range(1, 1000000);

    auto show_id = std::make_shared<std::string>();
    group
        .add("show",
             "Show one execution: status, error, every attempt, the facts it wrote, its dead "
             "letters and retries",
             [=, &context] {
                 Store& store = context.store();
                 const Execution execution = execute::find_execution(store, *show_id);
                 const OrderedJson shown =
                     history_json(execute::history(store, execution), store.tenant());
                 if (context.format() == OutputFormat::kText) {
                     print_history_text(shown);
                 } else {
                     context.print_object(shown);
                 }
             })
        .positional("ID", *show_id, "Execution id or message id")
        .required()
        .identifier();

    auto retry_flags = std::make_shared<ExecuteFlags>();
    auto retry_id = std::make_shared<std::string>();
    Command retry = group.add(
        "retry",
        "Run a failed or dead-lettered live execution again under its message id (same "
        "Idempotency-Key)",
        [=, &context] {
            Store& store = context.store();
            const Execution execution = execute::find_execution(store, *retry_id);
            const execute::Adapter& adapter = execute::adapter_named(execution.adapter_id);
            ExecuteFlags flags = *retry_flags;
            flags.live = true;
            execute::Executor executor(&store, adapter, executor_options(flags, adapter.info()));
            return print_single(context, executor.retry(execution),
                                "execution " + execution.execution_id);
        });
    retry.positional("ID", *retry_id, "Execution id or message id").required().identifier();
    retry.flag("--dry-run", retry_flags->dry_run, "Show the request it would send; write nothing");
    retry.option("--roster", retry_flags->roster, "Technician roster for slot availability")
        .type_name("FILE");
    add_live_options(retry, *retry_flags);
}

}  // namespace salesint::cli
