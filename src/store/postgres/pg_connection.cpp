#include "pg_connection.hpp"

#include "salesint/util/state_location.hpp"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace salesint::store::pg {
namespace {

// PostgreSQL's type ids for the parameters salesint binds: the server
// needs them where an expression alone does not tell (`$1 IS NULL`).
constexpr Oid kText = 25;
constexpr Oid kInt8 = 20;
constexpr Oid kFloat8 = 701;
constexpr Oid kBytea = 17;
constexpr Oid kUnknown = 0;

std::string first_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    const auto newline = text.find('\n');
    return newline == std::string::npos ? text : text.substr(0, newline);
}

bool identifier_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// SQLite's parameters (`?`, `?N`, `:name`) as PostgreSQL's `$N`, skipping
// quoted text, identifiers, comments and `::` casts. names receives the
// number of each named parameter (SQLite numbers them in order of first
// appearance, as here).
std::string to_numbered_parameters(std::string_view sql,
                                   std::map<std::string, int, std::less<>>& names) {
    std::string out;
    out.reserve(sql.size() + 16);
    int highest = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            const std::size_t end = sql.find(c, i + 1);
            const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const std::size_t end = sql.find('\n', i);
            const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '?') {
            std::size_t j = i + 1;
            while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])) != 0) {
                ++j;
            }
            int number = j > i + 1 ? std::atoi(std::string(sql.substr(i + 1, j - i - 1)).c_str())
                                   : highest + 1;
            highest = std::max(highest, number);
            out += '$' + std::to_string(number);
            i = j - 1;
        } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
            out += "::";
            ++i;
        } else if (c == ':' && i + 1 < sql.size() &&
                   (std::isalpha(static_cast<unsigned char>(sql[i + 1])) != 0 ||
                    sql[i + 1] == '_')) {
            std::size_t j = i + 1;
            while (j < sql.size() && identifier_char(sql[j])) {
                ++j;
            }
            const std::string name(sql.substr(i, j - i));  // with its ':'
            auto found = names.find(name);
            if (found == names.end()) {
                found = names.emplace(name, ++highest).first;
            }
            out += '$' + std::to_string(found->second);
            i = j - 1;
        } else if (c == '$' && i + 1 < sql.size() &&
                   std::isdigit(static_cast<unsigned char>(sql[i + 1])) != 0) {
            std::size_t j = i + 1;
            while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])) != 0) {
                ++j;
            }
            highest =
                std::max(highest, std::atoi(std::string(sql.substr(i + 1, j - i - 1)).c_str()));
            out.append(sql.substr(i, j - i));
            i = j - 1;
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

Connection::Connection(const std::string& url) : server_(printable_state(url)) {
    conn_ = libpq().connectdb(url.c_str());
    if (conn_ == nullptr || libpq().status(conn_) != CONNECTION_OK) {
        std::string why =
            conn_ == nullptr ? "out of memory" : first_line(libpq().error_message(conn_));
        if (conn_ != nullptr) {
            libpq().finish(conn_);
            conn_ = nullptr;
        }
        throw PgError("cannot connect to PostgreSQL at " + server_ + ": " + why, "", true);
    }
    // Server notices (NOTICE: relation already exists ...) are not ours to print.
    libpq().set_notice_processor(
        conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
    if (conn_ != nullptr) {
        libpq().finish(conn_);
    }
}

PGresult* Connection::check(PGresult* result) {
    const ExecStatusType status =
        result == nullptr ? PGRES_FATAL_ERROR : libpq().result_status(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN) {
        return result;
    }
    std::string sqlstate;
    std::string message;
    if (result != nullptr) {
        const char* code = libpq().result_error_field(result, PG_DIAG_SQLSTATE);
        sqlstate = code == nullptr ? "" : code;
        const char* primary = libpq().result_error_field(result, PG_DIAG_MESSAGE_PRIMARY);
        message = primary != nullptr ? primary : first_line(libpq().result_error_message(result));
        libpq().clear(result);
    }
    const bool lost = libpq().status(conn_) != CONNECTION_OK;
    if (message.empty()) {
        message = first_line(libpq().error_message(conn_));
    }
    if (lost) {
        throw PgError("lost the connection to PostgreSQL at " + server_ + ": " + message, sqlstate,
                      true);
    }
    throw PgError(message, sqlstate, false);
}

void Connection::exec(const std::string& sql) {
    libpq().clear(check(libpq().exec(conn_, sql.c_str())));
}

PGresult* Connection::run(const std::string& sql, const std::vector<const char*>& values,
                          const std::vector<int>& lengths, const std::vector<int>& formats,
                          const std::vector<Oid>& types) {
    std::string key(reinterpret_cast<const char*>(types.data()), types.size() * sizeof(Oid));
    key += sql;
    auto found = prepared_.find(key);
    if (found == prepared_.end()) {
        const std::string name = "s" + std::to_string(prepared_.size() + 1);
        libpq().clear(check(libpq().prepare(conn_, name.c_str(), sql.c_str(),
                                            static_cast<int>(types.size()), types.data())));
        found = prepared_.emplace(std::move(key), name).first;
    }
    return check(libpq().exec_prepared(conn_, found->second.c_str(),
                                       static_cast<int>(values.size()), values.data(),
                                       lengths.data(), formats.data(), 0));
}

bool Column::isNull() const {
    return libpq().getisnull(result_, row_, col_) == 1;
}

const char* Column::getText() const {
    return libpq().getvalue(result_, row_, col_);  // "" for NULL
}

std::string Column::getString() const {
    return std::string(getText(), static_cast<std::size_t>(getBytes()));
}

int Column::getInt() const {
    return static_cast<int>(getInt64());
}

std::int64_t Column::getInt64() const {
    return std::strtoll(getText(), nullptr, 10);
}

double Column::getDouble() const {
    return std::strtod(getText(), nullptr);
}

int Column::getBytes() const {
    return libpq().getlength(result_, row_, col_);
}

std::string Column::getBlob() const {
    std::size_t length = 0;
    unsigned char* bytes =
        libpq().unescape_bytea(reinterpret_cast<const unsigned char*>(getText()), &length);
    if (bytes == nullptr) {
        throw std::bad_alloc();
    }
    std::string blob(reinterpret_cast<const char*>(bytes), length);
    libpq().freemem(bytes);
    return blob;
}

Statement::Statement(Connection& db, std::string_view sql)
    : db_(db), sql_(to_numbered_parameters(sql, names_)) {}

Statement::~Statement() {
    reset();
}

int Statement::index_of(const char* name) const {
    auto found = names_.find(std::string_view(name));
    if (found == names_.end()) {
        throw std::invalid_argument(std::string("no parameter ") + name + " in " + sql_);
    }
    return found->second;
}

void Statement::set(int index, std::string value, Oid type, int format) {
    const auto slot = static_cast<std::size_t>(index - 1);
    if (values_.size() <= slot) {
        values_.resize(slot + 1);
        nulls_.resize(slot + 1, true);
        types_.resize(slot + 1, kUnknown);
        formats_.resize(slot + 1, 0);
    }
    values_[slot] = std::move(value);
    nulls_[slot] = false;
    types_[slot] = type;
    formats_[slot] = format;
}

void Statement::bind(int index, const std::string& value) {
    set(index, value, kText, 0);
}
void Statement::bind(int index, const char* value) {
    set(index, value, kText, 0);
}
void Statement::bind(int index, std::string_view value) {
    set(index, std::string(value), kText, 0);
}
void Statement::bind(int index, int value) {
    set(index, std::to_string(value), kInt8, 0);
}
void Statement::bind(int index, long value) {
    set(index, std::to_string(value), kInt8, 0);
}
void Statement::bind(int index, long long value) {
    set(index, std::to_string(value), kInt8, 0);
}
void Statement::bind(int index, unsigned value) {
    set(index, std::to_string(value), kInt8, 0);
}
void Statement::bind(int index, double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", value);
    set(index, text, kFloat8, 0);
}
void Statement::bind(int index) {
    set(index, "", kUnknown, 0);
    nulls_[static_cast<std::size_t>(index - 1)] = true;
}
void Statement::bindUntyped(int index, const std::string& value) {
    set(index, value, kUnknown, 0);
}
void Statement::bindBlob(int index, const void* data, int size) {
    set(index, std::string(static_cast<const char*>(data), static_cast<std::size_t>(size)), kBytea,
        1);
}

void Statement::run() {
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
        values[i] = nulls_[i] ? nullptr : values_[i].data();
        lengths[i] = static_cast<int>(values_[i].size());
    }
    reset();
    result_ = db_.run(sql_, values, lengths, formats_, types_);
    row_ = -1;
}

bool Statement::executeStep() {
    if (result_ == nullptr) {
        run();
    }
    return ++row_ < libpq().ntuples(result_);
}

int Statement::exec() {
    run();
    const char* changed = libpq().cmd_tuples(result_);
    const int rows = (changed == nullptr || *changed == '\0') ? 0 : std::atoi(changed);
    reset();
    return rows;
}

int Statement::getColumnCount() const {
    return result_ == nullptr ? 0 : libpq().nfields(result_);
}

void Statement::reset() {
    if (result_ != nullptr) {
        libpq().clear(result_);
        result_ = nullptr;
    }
    row_ = -1;
}

void Statement::clearBindings() {
    values_.clear();
    nulls_.clear();
    types_.clear();
    formats_.clear();
}

}  // namespace salesint::store::pg
