#include "pg_errors.hpp"

namespace salesint::store::pg {
namespace {

bool has_class(const std::string& sqlstate, const char* sql_class) {
    return sqlstate.rfind(sql_class, 0) == 0;
}

bool mentions(const char* text, const char* words) {
    return std::string(text).find(words) != std::string::npos;
}

}  // namespace

Error translate_pg_error(const PgError& error, const std::string& server) {
    const std::string& state = error.sqlstate();
    const std::string what = error.what();
    if (error.connection_lost() && state.empty()) {
        // libpq's words for a failed connection carry no code: a missing
        // database or refused credentials will not get better by retrying.
        if (mentions(what.c_str(), "does not exist")) {
            // As a missing state file is; salesint creates tables, never databases.
            return not_found(what + "; create the database (createdb) or name another");
        }
        if (mentions(what.c_str(), "authentication failed") ||
            mentions(what.c_str(), "no password supplied") ||
            mentions(what.c_str(), "invalid URI") ||
            mentions(what.c_str(), "invalid connection option")) {
            return usage_error(what);
        }
        return transient(what + "; try again");
    }
    if (error.connection_lost() || has_class(state, "08") || has_class(state, "57P")) {
        return transient(what + "; nothing more was written; try again");
    }
    if (error.retryable()) {
        return transient("the PostgreSQL state " + server + " ran into another writer (" + what +
                         "); nothing was written; try again");
    }
    if (state == "55P03" || state == "57014") {
        return transient("the PostgreSQL state " + server +
                         " stayed locked by another process; try again");
    }
    if (has_class(state, "53")) {
        return transient("the PostgreSQL server of " + server + " is out of resources (" + what +
                         "); nothing was written; try again");
    }
    if (has_class(state, "23")) {
        return refused("the state refused the change: " + what);
    }
    if (has_class(state, "22")) {
        return refused("the state refused a value: " + what);
    }
    if (has_class(state, "42")) {
        return Error(ExitCode::kNo, "PostgreSQL state " + server +
                                        " does not have the schema salesint expects: " + what);
    }
    return Error(ExitCode::kNo, "PostgreSQL state " + server + " error: " + what);
}

}  // namespace salesint::store::pg
