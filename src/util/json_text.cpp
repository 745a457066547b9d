// RapidJSON's iterative reader (no recursion, so nesting cannot overflow the
// stack) with a handler that enforces the rules of json_text.hpp and then
// hands each event to the document being built: a RapidJSON document for the
// contract checks, a nlohmann one for everything else. One grammar and one
// set of limits, whichever document comes out.
#include "salesint/util/json_text.hpp"

#include "salesint/util/json.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include "salesint/errors.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json_pointer.hpp"

namespace salesint {
namespace {

using rapidjson::SizeType;

// No kParseFullPrecisionFlag: RapidJSON 1.1.0's exact conversion gets some
// numbers wrong (StrictHandler::Double converts each literal itself).
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
// An object with more keys than this looks for duplicates in a hash set.
constexpr std::size_t kLinearKeyScan = 16;

// The keys of the objects being read, end to end, so that a key can be
// compared with its object's earlier keys and named in a pointer.
class KeyStack {
  public:
    struct Span {
        std::size_t offset;
        std::size_t size;
    };

    std::string_view at(std::size_t index) const {
        return std::string_view(bytes_).substr(spans_[index].offset, spans_[index].size);
    }
    std::size_t size() const { return spans_.size(); }
    void push(std::string_view key) {
        spans_.push_back({bytes_.size(), key.size()});
        bytes_.append(key);
    }
    void truncate(std::size_t count) {
        if (count < spans_.size()) {
            bytes_.resize(spans_[count].offset);
            spans_.resize(count);
        }
    }

  private:
    std::string bytes_;
    std::vector<Span> spans_;
};

// A hash set of key indices into a KeyStack, for objects with many keys.
struct KeyHash {
    const KeyStack* keys;
    std::size_t operator()(std::size_t index) const {
        return std::hash<std::string_view>()(keys->at(index));
    }
};
struct KeyEqual {
    const KeyStack* keys;
    bool operator()(std::size_t a, std::size_t b) const { return keys->at(a) == keys->at(b); }
};
using KeySet = std::unordered_set<std::size_t, KeyHash, KeyEqual>;

// An object or array being read.
struct Frame {
    bool is_array = false;
    std::size_t first_key = 0;  // objects: index of its first key in the KeyStack
    std::size_t values = 0;     // arrays: elements begun so far
    std::unique_ptr<KeySet> many_keys;
};

// Enforces the rules, then forwards each event to Sink (a RapidJSON document
// or the nlohmann builder below). Stream gives the offset of a problem.
template <typename Sink, typename Stream>
class StrictHandler {
  public:
    StrictHandler(Sink& sink, Stream& stream, const char* text)
        : sink_(sink), stream_(stream), text_(text) {}

    const std::optional<JsonProblem>& problem() const { return problem_; }
    // The pointer of the value being read when the reader stopped.
    std::string pointer() const {
        std::string pointer;
        for (std::size_t i = 0; i < frames_.size(); ++i) {
            const Frame& frame = frames_[i];
            // An object's keys end where the next frame's begin.
            std::size_t end = i + 1 < frames_.size() ? frames_[i + 1].first_key : keys_.size();
            if (frame.is_array && frame.values > 0) {
                pointer += "/" + std::to_string(frame.values - 1);
            } else if (!frame.is_array && end > frame.first_key) {
                pointer += "/" + escape_token(keys_.at(end - 1));
            }
        }
        return pointer;
    }

    bool Null() { return value() && sink_.Null(); }
    bool Bool(bool b) { return value() && sink_.Bool(b); }
    bool Int(int i) { return value() && sink_.Int(i); }
    bool Uint(unsigned u) { return value() && sink_.Uint(u); }
    bool Int64(std::int64_t i) { return value() && sink_.Int64(i); }
    bool Uint64(std::uint64_t u) { return value() && sink_.Uint64(u); }
    bool Double(double) {
        // RapidJSON reads an integer that does not fit in 64 bits as a
        // double, silently rounded: refuse it instead.
        std::string_view literal = number_at(stream_.Tell());
        if (literal.find_first_of(".eE") == std::string_view::npos) {
            return value() && fail("integer " + shorten(literal) + " does not fit in 64 bits");
        }
        // The literal converted again, correctly rounded: RapidJSON's value
        // is only close, and with its full-precision flag, wrong for some
        // literals (0.0e-30 read as 1.2e-240, 1.8e308 as NaN). The literal
        // may run on past the number (1.5-2, which the reader refuses next):
        // from_chars stops where the number does.
        double exact = 0;
        if (std::from_chars(literal.data(), literal.data() + literal.size(), exact).ec ==
            std::errc::result_out_of_range) {
            // Too small for a double, it becomes zero (or the nearest
            // subnormal) as strtod makes it; too large, it is refused.
            exact = std::strtod(literal.data(), nullptr);
            if (std::isinf(exact)) {
                return value() && fail("number " + shorten(literal) + " does not fit in a double");
            }
        }
        return value() && sink_.Double(exact);
    }
    bool RawNumber(const char*, SizeType, bool) { return fail("unexpected raw number"); }
    bool String(const char* text, SizeType size, bool copy) {
        return value() && utf8(text, size) && sink_.String(text, size, copy);
    }
    bool StartObject() {
        if (!value() || !deeper()) {
            return false;
        }
        frames_.push_back({false, keys_.size(), 0, nullptr});
        return sink_.StartObject();
    }
    bool Key(const char* text, SizeType size, bool copy) {
        if (!utf8(text, size)) {
            return false;
        }
        Frame& frame = frames_.back();
        std::string_view key(text, size);
        keys_.push(key);
        if (is_duplicate(frame)) {
            return fail("duplicate key \"" + shorten(key) + "\"");
        }
        return sink_.Key(text, size, copy);
    }
    bool EndObject(SizeType members) {
        keys_.truncate(frames_.back().first_key);
        frames_.pop_back();
        return sink_.EndObject(members);
    }
    bool StartArray() {
        if (!value() || !deeper()) {
            return false;
        }
        frames_.push_back({true, keys_.size(), 0, nullptr});
        return sink_.StartArray();
    }
    bool EndArray(SizeType elements) {
        frames_.pop_back();
        return sink_.EndArray(elements);
    }

  private:
    // A value begins: counted when it is an array's element.
    bool value() {
        if (!frames_.empty() && frames_.back().is_array) {
            ++frames_.back().values;
        }
        return true;
    }

    // RapidJSON 1.1.0 validates the text but not what its \u escapes decode
    // to: the escape of a low surrogate that follows no high one ("\udc00")
    // becomes the three bytes of the surrogate itself, which are not UTF-8
    // (ED A0 to ED BF) and which nlohmann's dump() refuses with an exception.
    bool utf8(const char* text, SizeType size) {
        const char* end = text + size;
        for (const char* at = text;
             (at = static_cast<const char*>(std::memchr(at, '\xED', end - at))) != nullptr; ++at) {
            if (end - at > 1 && static_cast<unsigned char>(at[1]) >= 0xA0) {
                return fail("invalid JSON: the surrogate pair in string is invalid");
            }
        }
        return true;
    }

    bool deeper() {
        return frames_.size() < kMaxJsonDepth ||
               fail("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }

    // Whether the key just pushed repeats one of its object's earlier keys.
    bool is_duplicate(Frame& frame) {
        const std::size_t last = keys_.size() - 1;
        const std::size_t count = last - frame.first_key;
        if (count < kLinearKeyScan) {
            for (std::size_t i = frame.first_key; i < last; ++i) {
                if (keys_.at(i) == keys_.at(last)) {
                    return true;
                }
            }
            return false;
        }
        if (!frame.many_keys) {
            frame.many_keys = std::make_unique<KeySet>(64, KeyHash{&keys_}, KeyEqual{&keys_});
            for (std::size_t i = frame.first_key; i < last; ++i) {
                frame.many_keys->insert(i);
            }
        }
        return !frame.many_keys->insert(last).second;
    }

    // The number literal that starts at offset start of the text. (The
    // reader works on a copy of the stream and moves the original past a
    // number or string only once the handler has seen it.)
    std::string_view number_at(std::size_t start) const {
        std::size_t end = start;
        while (text_[end] != '\0' && std::strchr("0123456789+-.eE", text_[end]) != nullptr) {
            ++end;
        }
        return std::string_view(text_ + start, end - start);
    }

    static std::string shorten(std::string_view text) {
        constexpr std::size_t kShown = 40;
        return text.size() <= kShown ? std::string(text)
                                     : std::string(text.substr(0, kShown)) + "...";
    }

    bool fail(std::string message) {
        problem_ = JsonProblem{std::move(message), stream_.Tell(), pointer()};
        return false;
    }

    Sink& sink_;
    Stream& stream_;
    const char* text_;
    std::vector<Frame> frames_;
    KeyStack keys_;
    std::optional<JsonProblem> problem_;
};

// Builds a nlohmann document from the reader's events, with an explicit
// stack of the containers being filled. With nlohmann::ordered_json the keys
// stay in the order of the text.
template <typename JsonType>
class NlohmannBuilder {
  public:
    JsonType& root() { return root_; }

    bool Null() { return add(nullptr); }
    bool Bool(bool b) { return add(b); }
    // Signed and unsigned as nlohmann's own parser stores them, so that a
    // document dumps the same whichever reader built it.
    bool Int(int i) { return add(static_cast<std::int64_t>(i)); }
    bool Uint(unsigned u) { return add(static_cast<std::uint64_t>(u)); }
    bool Int64(std::int64_t i) { return add(i); }
    bool Uint64(std::uint64_t u) { return add(u); }
    bool Double(double d) { return add(d); }
    bool String(const char* text, SizeType size, bool) { return add(std::string(text, size)); }
    bool StartObject() { return open(JsonType::object()); }
    bool Key(const char* text, SizeType size, bool) {
        key_.assign(text, size);
        return true;
    }
    bool EndObject(SizeType) { return close(); }
    bool StartArray() { return open(JsonType::array()); }
    bool EndArray(SizeType) { return close(); }

  private:
    JsonType* place(JsonType&& value) {
        if (open_.empty()) {
            root_ = std::move(value);
            return &root_;
        }
        JsonType& parent = *open_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(value));
            return &parent.back();
        }
        if constexpr (std::is_same_v<JsonType, nlohmann::ordered_json>) {
            // Keys are unique (the handler refuses a repeated one): appended
            // without ordered_map's search, which would make objects quadratic.
            using Members = typename JsonType::object_t::Container;
            auto& members =
                static_cast<Members&>(parent.template get_ref<typename JsonType::object_t&>());
            return &members.emplace_back(key_, std::move(value)).second;
        }
        return &(parent[key_] = std::move(value));
    }
    bool add(JsonType&& value) {
        place(std::move(value));
        return true;
    }
    bool open(JsonType&& container) {
        open_.push_back(place(std::move(container)));
        return true;
    }
    bool close() {
        open_.pop_back();
        return true;
    }

    JsonType root_;
    std::vector<JsonType*> open_;  // containers being filled, innermost last
    std::string key_;
};

// The offset of a UTF-8 lead byte near the end of text whose sequence would
// run past the NUL that ends it. RapidJSON 1.1.0 reads (and, parsing in
// place, writes back) every byte of a sequence in a string before it judges
// it, so it would read up to two bytes beyond the text's buffer. Such a text
// is never valid JSON (the sequence is cut short), so it is refused first.
std::optional<std::size_t> cut_sequence(std::string_view text) {
    for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back) {
        const std::size_t at = text.size() - back;
        const auto lead = static_cast<unsigned char>(text[at]);
        const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (lead >= 0xC0 && at + length - 1 > text.size()) {
            return at;
        }
    }
    return std::nullopt;
}

// Checks that apply before parsing; fills skipped with a BOM's length.
std::optional<JsonProblem> precheck(std::string_view text, std::size_t& skipped) {
    skipped = text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
    if (text.size() > kMaxJsonBytes) {
        return JsonProblem{"the document is " + std::to_string(text.size()) + " bytes; at most " +
                               std::to_string(kMaxJsonBytes >> 20) + " MiB are read",
                           0, ""};
    }
    if (const void* nul = std::memchr(text.data(), '\0', text.size()); nul != nullptr) {
        return JsonProblem{"invalid JSON: a NUL byte",
                           static_cast<std::size_t>(static_cast<const char*>(nul) - text.data()),
                           ""};
    }
    if (auto at = cut_sequence(text)) {
        return JsonProblem{"invalid JSON: the text ends inside a UTF-8 sequence", *at, ""};
    }
    return std::nullopt;
}

template <typename Handler, typename Reader>
JsonProblem reader_problem(const Handler& handler, const Reader& reader, std::size_t skipped) {
    JsonProblem problem;
    if (handler.problem()) {
        problem = *handler.problem();
    } else {
        std::string reason = rapidjson::GetParseError_En(reader.GetParseErrorCode());
        if (!reason.empty() && reason.back() == '.') {
            reason.pop_back();
        }
        if (!reason.empty()) {
            reason.front() = static_cast<char>(std::tolower(reason.front()));
        }
        problem = {"invalid JSON: " + reason, reader.GetErrorOffset(), handler.pointer()};
    }
    problem.offset += skipped;
    return problem;
}

// Parses the NUL-terminated text in place, sending its events to sink.
template <typename Sink>
std::optional<JsonProblem> parse_in_place(char* text, std::size_t size, Sink& sink) {
    std::size_t skipped = 0;
    if (auto problem = precheck(std::string_view(text, size), skipped)) {
        return problem;
    }
    rapidjson::InsituStringStream stream(text + skipped);
    StrictHandler<Sink, rapidjson::InsituStringStream> handler(sink, stream, text + skipped);
    rapidjson::Reader reader;
    if (reader.Parse<kParseFlags | rapidjson::kParseInsituFlag>(stream, handler)) {
        return std::nullopt;
    }
    return reader_problem(handler, reader, skipped);
}

}  // namespace

TextPosition position_of(std::string_view text, std::size_t offset) {
    TextPosition position;
    offset = std::min(offset, text.size());
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++position.line;
            position.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++position.column;  // a character, not a UTF-8 continuation byte
        }
    }
    return position;
}

namespace {

template <typename JsonType>
std::optional<JsonProblem> read_into(std::string_view text, JsonType& out) {
    // Parsed in place from a copy: strings are not copied twice, and offsets
    // are found as for read_json_in_place.
    thread_local std::string copy;
    copy.assign(text);
    NlohmannBuilder<JsonType> builder;
    if (auto problem = parse_in_place(copy.data(), copy.size(), builder)) {
        return problem;
    }
    out = std::move(builder.root());
    return std::nullopt;
}

}  // namespace

std::optional<JsonProblem> read_json(std::string_view text, nlohmann::json& out) {
    return read_into(text, out);
}

std::optional<JsonProblem> read_json(std::string_view text, nlohmann::ordered_json& out) {
    return read_into(text, out);
}

std::optional<JsonProblem> read_json_in_place(char* text, std::size_t size,
                                              rapidjson::Document& out) {
    std::optional<JsonProblem> problem;
    auto generate = [&](rapidjson::Document& document) {
        problem = parse_in_place(text, size, document);
        return !problem;
    };
    out.Populate(generate);
    return problem;
}

std::string describe(const JsonProblem& problem, std::string_view text, const std::string& name,
                     std::size_t first_line) {
    // A byte order mark takes no column in an editor.
    std::size_t offset = problem.offset;
    if (text.starts_with(kByteOrderMark) && offset >= kByteOrderMark.size()) {
        text.remove_prefix(kByteOrderMark.size());
        offset -= kByteOrderMark.size();
    }
    TextPosition at = position_of(text, offset);
    std::string line = name + ":" + std::to_string(at.line + first_line - 1) + ":" +
                       std::to_string(at.column) + ": " + problem.message;
    if (!problem.pointer.empty()) {
        line += " (at " + problem.pointer + ")";
    }
    return line;
}

nlohmann::json parse_json_text(std::string_view text, const std::string& name,
                               std::size_t first_line) {
    nlohmann::json document;
    if (auto problem = read_json(text, document)) {
        throw usage_error(describe(*problem, text, name, first_line));
    }
    return document;
}

std::string read_json_bytes(const std::string& path) {
    struct TooLarge {};
    std::string text;
    try {
        for_each_input_chunk(path, [&](std::string_view chunk) {
            if (chunk.size() > kMaxJsonBytes - text.size()) {
                throw TooLarge{};  // stop reading: the rest is never held
            }
            text.append(chunk);
        });
    } catch (const TooLarge&) {
        throw usage_error(display_name(path) + ":1:1: the document is larger than " +
                          std::to_string(kMaxJsonBytes >> 20) + " MiB, the most that is read");
    }
    return text;
}

nlohmann::json read_json_file(const std::string& path) {
    return parse_json_text(read_json_bytes(path), display_name(path));
}

std::string dump_with_raw_member(const OrderedJson& head, std::string_view key,
                                 std::string_view raw_json) {
    std::string text = head.dump();
    text.pop_back();  // the closing brace
    if (text.size() > 1) {
        text += ',';
    }
    text += OrderedJson(key).dump();
    text += ':';
    text += raw_json;
    text += '}';
    return text;
}

}  // namespace salesint
