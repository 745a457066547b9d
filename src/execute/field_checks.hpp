// Checking an input against an adapter's contract: every rule broken is
// collected (not just the first), each naming the field as the error response
// does (customer.email, serviceItems[0].quantity; docs/contracts.md, "Error
// response") and as a JSON pointer.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salesint/execute/adapter.hpp"

namespace salesint::execute {

class FieldChecks {
  public:
    explicit FieldChecks(const Json& input) : input_(input) {}

    // The value at a JSON pointer, or nullptr.
    const Json* find(std::string_view pointer) const;

    // Each returns the value when it is there and of the right kind; otherwise
    // nullptr, noting "is required" (when required) or the kind expected.
    const std::string* text(std::string_view pointer, bool required = true);
    const Json* number(std::string_view pointer, bool required = true);
    const Json* boolean(std::string_view pointer, bool required = true);
    const Json* object(std::string_view pointer, bool required = true);
    const Json* array(std::string_view pointer, bool required = true);
    const std::string* one_of(std::string_view pointer,
                              std::initializer_list<std::string_view> values, bool required = true);

    // False (noting it) unless the input is a JSON object: every adapter's
    // first check, after which the others may look inside.
    bool root_is_object();

    void fail(std::string_view pointer, std::string message);
    // A failure with code, message and every detail; nullopt when all passed.
    std::optional<Failure> failure(const char* code, const char* message) const;

  private:
    const Json* expect(std::string_view pointer, bool required, bool (Json::*is_kind)() const,
                       const char* kind);

    const Json& input_;
    std::vector<FieldError> errors_;
};

// "/serviceItems/0/quantity" -> "serviceItems[0].quantity"
std::string field_name(std::string_view pointer);

}  // namespace salesint::execute
