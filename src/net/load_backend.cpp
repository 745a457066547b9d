// Finds and loads libsalesint-net.so on first use: beside the binary (the
// build tree), in ../lib/salesint (an installation), or where
// $SALESINT_NET_MODULE points.
#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "backend.hpp"
#include "salesint/errors.hpp"
#include "salesint/net/http_client.hpp"
#include "salesint/util/log.hpp"

namespace salesint::net {
namespace {

std::string executable_dir() {
    std::array<char, 4096> path{};
    ssize_t length = ::readlink("/proc/self/exe", path.data(), path.size() - 1);
    if (length <= 0) {
        return ".";
    }
    std::string exe(path.data(), static_cast<std::size_t>(length));
    return exe.substr(0, exe.rfind('/'));
}

Backend* load() {
    std::vector<std::string> candidates;
    if (const char* override_path = std::getenv("SALESINT_NET_MODULE")) {
        candidates.emplace_back(override_path);
    }
    const std::string dir = executable_dir();
    candidates.push_back(dir + "/libsalesint-net.so");
    candidates.push_back(dir + "/../" SALESINT_INSTALL_LIBDIR "/salesint/libsalesint-net.so");
    std::string errors;
    for (const auto& candidate : candidates) {
        void* handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            errors += std::string("; ") + ::dlerror();
            continue;
        }
        using Entry = Backend* (*)();
        auto entry = reinterpret_cast<Entry>(::dlsym(handle, "salesint_net_backend"));
        if (entry != nullptr) {
            log::debug("network module: " + candidate);
            return entry();
        }
    }
    throw Error(
        ExitCode::kNo,
        "salesint's network module libsalesint-net.so cannot be loaded (reinstall salesint)" +
            errors);
}

}  // namespace

Backend& backend() {
    static std::once_flag once;
    static Backend* loaded = nullptr;
    std::call_once(once, [] { loaded = load(); });
    return *loaded;
}

HttpResponse http_post(const std::string& url, const HeaderList& headers, std::string_view body,
                       std::chrono::milliseconds timeout) {
    return backend().post(url, headers, body, timeout);
}

HttpResponse http_get(const std::string& url, const HeaderList& headers,
                      std::chrono::milliseconds timeout) {
    return backend().get(url, headers, timeout);
}

std::unique_ptr<HttpServer> make_server(ServerSetup setup) {
    return backend().make_server(std::move(setup));
}

}  // namespace salesint::net
