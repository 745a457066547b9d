#include "libpq_api.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "salesint/errors.hpp"

namespace salesint::store::pg {
namespace {

constexpr const char* kLibrary = "libpq.so.5";

template <typename Function>
void bind(void* library, Function& slot, const char* name, std::string& missing) {
    slot = reinterpret_cast<Function>(::dlsym(library, name));
    if (slot == nullptr) {
        missing += std::string(missing.empty() ? "" : ", ") + name;
    }
}

LibPq load() {
    void* library = ::dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        throw usage_error(std::string("a PostgreSQL state needs ") + kLibrary +
                          " (Debian package libpq5): " + ::dlerror());
    }
    LibPq api{};
    std::string missing;
    bind(library, api.connectdb, "PQconnectdb", missing);
    bind(library, api.status, "PQstatus", missing);
    bind(library, api.error_message, "PQerrorMessage", missing);
    bind(library, api.finish, "PQfinish", missing);
    bind(library, api.set_notice_processor, "PQsetNoticeProcessor", missing);
    bind(library, api.exec, "PQexec", missing);
    bind(library, api.prepare, "PQprepare", missing);
    bind(library, api.exec_prepared, "PQexecPrepared", missing);
    bind(library, api.result_status, "PQresultStatus", missing);
    bind(library, api.result_error_field, "PQresultErrorField", missing);
    bind(library, api.result_error_message, "PQresultErrorMessage", missing);
    bind(library, api.clear, "PQclear", missing);
    bind(library, api.ntuples, "PQntuples", missing);
    bind(library, api.nfields, "PQnfields", missing);
    bind(library, api.getvalue, "PQgetvalue", missing);
    bind(library, api.getisnull, "PQgetisnull", missing);
    bind(library, api.getlength, "PQgetlength", missing);
    bind(library, api.cmd_tuples, "PQcmdTuples", missing);
    bind(library, api.unescape_bytea, "PQunescapeBytea", missing);
    bind(library, api.freemem, "PQfreemem", missing);
    if (!missing.empty()) {
        throw usage_error(std::string(kLibrary) + " lacks " + missing +
                          " (salesint needs libpq 14 or newer)");
    }
    return api;  // the library stays loaded for the life of the process
}

}  // namespace

const LibPq& libpq() {
    static std::once_flag once;
    static LibPq api;
    std::call_once(once, [] { api = load(); });
    return api;
}

}  // namespace salesint::store::pg
