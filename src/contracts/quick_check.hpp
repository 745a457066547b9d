// A fast verdict for the common case, a document that follows its schema.
//
// valijson walks a document through std::function visitors and copies of
// every property name: for an order of 50 values that is about 160,000
// instructions, more than parsing, hashing and storing it together. Most
// schemas (all the shipped ones but one) use a small part of JSON Schema:
// type, required, properties, additionalProperties (true, false or a
// schema), items, enum of strings, pattern, minLength/maxLength,
// minimum/maximum, minItems/maxItems.
// QuickCheck compiles such a schema into a tree it walks directly. It says
// "accepted" only where valijson would; a document it refuses goes to
// valijson, which finds and words the errors. A schema with any other
// keyword is not compiled (supported() is false) and valijson does all.
#pragma once

#include <memory>

#include "document.hpp"

namespace salesint::contracts {

class QuickCheck {
  public:
    // schema: the schema as valijson gets it (the formats salesint checks
    // itself already taken out).
    explicit QuickCheck(const JsonValue& schema);
    ~QuickCheck();
    QuickCheck(const QuickCheck&) = delete;
    QuickCheck& operator=(const QuickCheck&) = delete;

    bool supported() const { return root_ != nullptr; }
    // Only when supported(): whether valijson would accept document.
    bool accepts(const JsonValue& document) const;

    struct Node;

  private:
    std::unique_ptr<Node> root_;
};

}  // namespace salesint::contracts
