#include "document_check.hpp"

#include <algorithm>
#include <vector>

#include "checks.hpp"
#include "json_pointer.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/suggest.hpp"

namespace salesint::contracts {
namespace {

// Documents are parsed into a per-thread buffer: no allocation for the
// common sizes, and nothing kept between documents.
using PoolAllocator = rapidjson::MemoryPoolAllocator<>;
using PooledDocument = rapidjson::GenericDocument<rapidjson::UTF8<>, PoolAllocator>;
constexpr std::size_t kPoolBytes = 64 * 1024;

void place(Violation& violation, std::string_view text, std::size_t first_line,
           std::size_t offset) {
    TextPosition at = position_of(text, offset);
    violation.line = first_line + at.line - 1;
    violation.column = at.column;
}

// A contract's document that carries another's at a member: the order an
// OrderIntakeReceived event announces, as received, is an order intake
// request, judged as such.
struct Carried {
    ContractKind kind;
    const char* field;
    std::string_view schema;
};

constexpr Carried kCarried[] = {
    {ContractKind::kOrderIntakeReceived, "orderData", "order-intake-request"},
};

// What the stream rules compare across documents, and where it is written.
void keep_stream_keys(const JsonValue& document, std::string_view text, std::size_t first_line,
                      DocumentResult::StreamKeys& keys) {
    const JsonValue* meta = member(&document, "meta");
    keys.tenant_id = string_member(meta, "tenant_id");
    keys.message_id = string_member(meta, "message_id");
    if (!keys.message_id.empty()) {
        TextPosition at = position_of(text, locate_pointer(text, "/meta/message_id"));
        keys.message_id_line = first_line + at.line - 1;
        keys.message_id_column = at.column;
    }
    const JsonValue* subject = member(&document, "subject");
    keys.workflow_id = string_member(subject, "workflow_id");
    const JsonValue* step = member(subject, "step");
    if (!keys.workflow_id.empty() && step != nullptr && step->IsInt64() && step->GetInt64() >= 0) {
        keys.step = step->GetInt64();
        TextPosition at = position_of(text, locate_pointer(text, "/subject/step"));
        keys.step_line = first_line + at.line - 1;
        keys.step_column = at.column;
    }
}

}  // namespace

DocumentChecker::DocumentChecker(const std::string& schema, bool stream_keys)
    : option_(schema), stream_keys_(stream_keys) {
    if (schema == "auto") {
        for (const ShippedSchema& shipped : shipped_schemas()) {
            compiled_[shipped.name] =
                std::make_unique<CompiledSchema>(shipped.text, std::string(shipped.name));
        }
    } else if (const ShippedSchema* shipped = shipped_schema(schema)) {
        compiled_[shipped->name] =
            std::make_unique<CompiledSchema>(shipped->text, std::string(shipped->name));
        for (const Carried& carried : kCarried) {
            if (carried.kind == shipped->kind) {
                const ShippedSchema* inner = shipped_schema(carried.schema);
                compiled_[inner->name] =
                    std::make_unique<CompiledSchema>(inner->text, std::string(inner->name));
            }
        }
    } else if (schema.find('/') != std::string::npos || schema.ends_with(".json")) {
        custom_ = std::make_unique<CompiledSchema>(read_json_bytes(schema), schema);
    } else {
        std::vector<std::string> names;
        for (const ShippedSchema& known : shipped_schemas()) {
            names.emplace_back(known.name);
        }
        throw not_found("schema " + schema +
                        ": no such schema; use auto, a path, or the name of a shipped schema" +
                        did_you_mean(schema, names))
            .with_field("schema")
            .with_hint(Hint::kListSchemas);
    }
}

DocumentChecker::~DocumentChecker() = default;

DocumentChecker::Choice DocumentChecker::shipped(std::string_view name,
                                                 const char* picked_by) const {
    const ShippedSchema* schema = shipped_schema(name);
    return {compiled_.at(schema->name).get(), schema->kind, schema->name, picked_by};
}

DocumentChecker::Choice DocumentChecker::choose(const JsonValue& document) const {
    if (custom_) {
        return {custom_.get(), ContractKind::kCustom, option_, "option"};
    }
    if (option_ != "auto") {
        return shipped(option_, "option");
    }
    const char* picked_by = "";
    std::string_view name = pick_schema(document, picked_by);
    return name.empty() ? Choice{} : shipped(name, picked_by);
}

void DocumentChecker::judge(const Choice& choice, const JsonValue& value,
                            std::vector<Violation>& found) const {
    if (!choice.schema->accepts(value)) {
        add_schema_errors(choice.kind, choice.schema->errors(value), found);
    }
    check_formats(choice.kind, choice.schema->formats(), value, found);
    if (is_envelope(choice.kind)) {
        check_envelope(choice.kind, value, found);
    } else {
        check_payload(choice.kind, value, found);
    }
    for (const Carried& carried : kCarried) {
        const JsonValue* inner = member(&value, carried.field);
        if (carried.kind == choice.kind && inner != nullptr && inner->IsObject()) {
            std::vector<Violation> within;
            judge(shipped(carried.schema, choice.picked_by), *inner, within);
            for (Violation& violation : within) {
                violation.pointer = "/" + escape_token(carried.field) + violation.pointer;
                found.push_back(std::move(violation));
            }
        }
    }
}

DocumentResult DocumentChecker::check(std::string_view text, const std::string& file,
                                      std::size_t line) const {
    DocumentResult result;
    result.file = file;
    result.line = line;

    // Parsed in place from a NUL-terminated copy: strings are not copied
    // again, and RapidJSON's fastest reader applies.
    thread_local std::vector<char> pool(kPoolBytes);
    thread_local std::string copy;
    copy.assign(text);
    PoolAllocator allocator(pool.data(), pool.size());
    PooledDocument document(&allocator);
    if (auto problem = read_json_in_place(copy.data(), copy.size(), document)) {
        result.parsed = false;
        Violation violation{"json.parse", problem->pointer, problem->message, 0, 0, {}};
        place(violation, text, line, problem->offset);
        result.violations.push_back(std::move(violation));
        return result;
    }

    Choice choice = choose(document);
    Violations& found = result.violations;
    if (choice.schema == nullptr) {
        add_violation(found, "schema.unmatched", "",
                      "cannot tell which contract this document follows from its topic or "
                      "shape; name its schema");
    } else {
        result.schema = choice.name;
        result.picked_by = choice.picked_by;
        judge(choice, document, found);
    }
    for (Violation& violation : found) {
        place(violation, text, line, locate_pointer(text, violation.pointer));
        violation.fingerprint =
            sha256_hex(violation.rule + '\n' + violation.pointer + '\n' + std::string(text))
                .substr(0, 16);
    }
    std::stable_sort(found.begin(), found.end(), [](const Violation& a, const Violation& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    if (stream_keys_) {
        keep_stream_keys(document, text, line, result.stream);
    }
    return result;
}

}  // namespace salesint::contracts
