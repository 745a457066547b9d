#include "json_pointer.hpp"

namespace salesint::contracts {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool ends_scalar(char c) {
    return is_space(c) || c == ',' || c == '}' || c == ']';
}

// A forward-only reader of well-formed JSON text that can skip values.
class TextWalker {
  public:
    explicit TextWalker(std::string_view text) : text_(text) {}

    std::size_t at() const { return pos_; }
    char peek() {
        skip_space();
        return pos_ < text_.size() ? text_[pos_] : '\0';
    }
    void expect(char c) {
        if (peek() == c) {
            ++pos_;
        }
    }

    // A string starting at the current '"', returned unescaped as far as
    // pointer tokens need (\" \\ \/ and the rest kept as written).
    std::string read_string() {
        std::string out;
        expect('"');
        while (pos_ < text_.size() && text_[pos_] != '"') {
            if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
                ++pos_;
                out += text_[pos_] == '"' || text_[pos_] == '\\' || text_[pos_] == '/' ? text_[pos_]
                                                                                       : '?';
            } else {
                out += text_[pos_];
            }
            ++pos_;
        }
        ++pos_;
        return out;
    }

    void skip_value() {
        char c = peek();
        if (c == '"') {
            read_string();
        } else if (c == '{' || c == '[') {
            int depth = 0;
            do {
                char d = text_[pos_];
                if (d == '"') {
                    read_string();
                    continue;
                }
                depth += (d == '{' || d == '[') ? 1 : (d == '}' || d == ']') ? -1 : 0;
                ++pos_;
            } while (depth > 0 && pos_ < text_.size());
        } else {
            while (pos_ < text_.size() && !ends_scalar(text_[pos_])) {
                ++pos_;
            }
        }
    }

  private:
    void skip_space() {
        while (pos_ < text_.size() && is_space(text_[pos_])) {
            ++pos_;
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

// Moves walker to the value of key in the object it is at; false if absent.
bool enter_member(TextWalker& walker, const std::string& key) {
    walker.expect('{');
    while (walker.peek() == '"') {
        std::string name = walker.read_string();
        walker.expect(':');
        if (name == key) {
            walker.peek();
            return true;
        }
        walker.skip_value();
        walker.expect(',');
    }
    return false;
}

bool enter_element(TextWalker& walker, const std::string& token) {
    if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos) {
        return false;
    }
    std::size_t index = std::stoul(token);
    walker.expect('[');
    for (std::size_t i = 0; walker.peek() != ']' && walker.peek() != '\0'; ++i) {
        if (i == index) {
            return true;
        }
        walker.skip_value();
        walker.expect(',');
    }
    return false;
}

}  // namespace

std::size_t locate_pointer(std::string_view json_text, std::string_view pointer) {
    TextWalker walker(json_text);
    walker.peek();
    std::size_t found = walker.at();
    for (const std::string& token : split_pointer(pointer)) {
        char kind = walker.peek();
        bool entered = kind == '{'   ? enter_member(walker, token)
                       : kind == '[' ? enter_element(walker, token)
                                     : false;
        if (!entered) {
            break;
        }
        found = walker.at();
    }
    return found;
}

}  // namespace salesint::contracts
