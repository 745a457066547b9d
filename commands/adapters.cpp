// salesint adapters list | describe ID
#include <iostream>

#include "context.hpp"
#include "groups.hpp"
#include "salesint/execute/registry.hpp"

namespace salesint::cli {
namespace {

using execute::AdapterInfo;

OrderedJson summary_record(const AdapterInfo& info) {
    OrderedJson record = OrderedJson::object();
    record["id"] = info.id;
    record["version"] = info.version;
    record["summary"] = info.summary;
    record["connector"] = info.connector.empty() ? OrderedJson() : OrderedJson(info.connector);
    record["rate_limit_per_minute"] = info.rate_limit_per_minute;
    record["example"] = info.example;
    return record;
}

// The adapter's own codes, then those every live call may end with.
std::vector<execute::ErrorCodeDoc> error_codes(const AdapterInfo& info) {
    std::vector<execute::ErrorCodeDoc> codes = info.errors;
    const auto& live = execute::live_error_codes();
    codes.insert(codes.end(), live.begin(), live.end());
    return codes;
}

OrderedJson describe_record(const AdapterInfo& info) {
    OrderedJson record = summary_record(info);
    record["modes"] = {{"deterministic", info.deterministic}, {"live", info.live}};
    record["retry"] = {{"max_attempts", info.retry.max_attempts},
                       {"timeout_ms", info.retry.timeout.count()},
                       {"backoff_ms", info.retry.backoff.count()},
                       {"max_backoff_ms", info.retry.max_backoff.count()}};
    OrderedJson fields = OrderedJson::array();
    for (const auto& field : info.input) {
        fields.push_back({{"pointer", field.pointer},
                          {"type", field.type},
                          {"required", field.required},
                          {"description", field.description}});
    }
    record["input"] = std::move(fields);
    OrderedJson errors = OrderedJson::array();
    for (const auto& error : error_codes(info)) {
        errors.push_back({{"code", error.code},
                          {"description", error.description},
                          {"retryable", error.retryable}});
    }
    record["errors"] = std::move(errors);
    std::string_view example = execute::embedded_fixture(info.example);
    record["example_input"] = example.empty() ? OrderedJson() : OrderedJson::parse(example);
    return record;
}

void print_description(const AdapterInfo& info) {
    std::cout << info.id << " (version " << info.version << ")\n  " << info.summary << "\n\n";
    std::cout << "Deterministic mode (default):\n  " << info.deterministic << "\n";
    std::cout << "Live mode (--live):\n  " << info.live << "\n";
    std::cout << "  connector: "
              << (info.connector.empty() ? "chosen from the input" : info.connector)
              << "; rate limit: " << info.rate_limit_per_minute
              << " a minute per tenant; retries: " << info.retry.max_attempts
              << " attempts, timeout " << info.retry.timeout.count() << " ms, backoff "
              << info.retry.backoff.count() << " ms (full jitter, capped at "
              << info.retry.max_backoff.count() << " ms)\n\n";
    std::cout << "Input fields:\n";
    for (const auto& field : info.input) {
        std::cout << "  " << field.pointer << "  " << field.type
                  << (field.required ? ", required" : ", optional")
                  << (*field.description != '\0' ? std::string(": ") + field.description : "")
                  << "\n";
    }
    std::cout << "\nError codes:\n";
    for (const auto& error : error_codes(info)) {
        std::cout << "  " << error.code << "  " << error.description
                  << (error.retryable ? " (retryable)" : "") << "\n";
    }
    std::string_view example = execute::embedded_fixture(info.example);
    std::cout << "\nExample input (" << info.example << "):\n" << example;
    if (!example.empty() && example.back() != '\n') {
        std::cout << '\n';
    }
}

}  // namespace

void install_adapters(Command group) {
    Context& context = group.context();
    group.add("list", "List the adapters by stable Execute ID", [&context] {
        RowWriter writer = context.rows({{"id", "ID"},
                                         {"version", "VERSION"},
                                         {"connector", "CONNECTOR"},
                                         {"rate_limit_per_minute", "PER MIN"},
                                         {"summary", "SUMMARY"}});
        for (const execute::Adapter* adapter : execute::adapters()) {
            writer.add(summary_record(adapter->info()));
        }
        writer.finish();
    });
    auto id = std::make_shared<std::string>();
    Command describe = group.add(
        "describe", "Show an adapter's input fields, defaults, error codes and example input",
        [&context, id] {
            const AdapterInfo& info = execute::adapter_named(*id).info();
            if (context.format() == OutputFormat::kText) {
                print_description(info);
            } else {
                context.print_object(describe_record(info));
            }
        });
    describe.positional("id", *id, "Execute ID, e.g. fsm.order.intake.v2").required().identifier();
    group.footer(
        "JSON shapes:\n"
        "  list: [{id, version, summary, connector, rate_limit_per_minute, example}]\n"
        "  describe: {id, version, summary, connector, rate_limit_per_minute, example,\n"
        "             modes: {deterministic, live}, retry: {max_attempts, timeout_ms,\n"
        "             backoff_ms, max_backoff_ms}, input: [{pointer, type, required,\n"
        "             description}], errors: [{code, description, retryable}], example_input}\n");
}

}  // namespace salesint::cli
