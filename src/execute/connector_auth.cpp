#include "salesint/execute/connector_auth.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "salesint/errors.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/webhooks/secrets.hpp"

namespace salesint::execute {
namespace {

// What read_connector_secret and missing_secret say, in the same words.
std::string no_source(const Connector& connector) {
    return "connector " + connector.system_code + " authenticates with " +
           (connector.auth_method.empty() ? std::string("a secret") : connector.auth_method) +
           " but names no secret source";
}

std::string of_env(const Connector& connector) {
    return " (the secret_env of connector " + connector.system_code + ")";
}

std::string of_file(const Connector& connector) {
    return " (the secret_file of connector " + connector.system_code + ")";
}

}  // namespace

webhooks::Secret read_connector_secret(const Connector& connector) {
    webhooks::SecretSources sources;
    if (!connector.secret_env.empty()) {
        sources.env_vars.push_back(connector.secret_env);
    } else if (!connector.secret_file.empty()) {
        sources.files.push_back(connector.secret_file);
    } else {
        throw usage_error(no_source(connector))
            .with_hint(Hint::kSetConnectorSecret, {connector.system_code});
    }
    if (auto missing = missing_secret(connector)) {
        throw usage_error(*missing);  // in the connector's words, before the source is read
    }
    webhooks::LoadedSecrets loaded = webhooks::load_secrets(sources);
    return loaded.secrets.front();
}

bool needs_secret(const std::string& auth_method) {
    return auth_method == "bearer" || auth_method == "basic" || auth_method == "api_key" ||
           auth_method == "hmac";
}

std::optional<std::string> missing_secret(const Connector& connector) {
    if (!connector.secret_env.empty()) {
        const char* value = std::getenv(connector.secret_env.c_str());
        if (value == nullptr) {
            return "environment variable " + connector.secret_env + " is not set" +
                   of_env(connector);
        }
        if (*value == '\0') {
            return "environment variable " + connector.secret_env + " is empty" + of_env(connector);
        }
        return std::nullopt;
    }
    if (connector.secret_file.empty()) {
        return no_source(connector);
    }
    const std::string& path = connector.secret_file;
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) {
        const int error = errno;
        return "file " + path + " cannot be read: " + std::strerror(error) + of_file(connector);
    }
    if (!S_ISREG(status.st_mode)) {
        return "file " + path + " is not a regular file" + of_file(connector);
    }
    if (::access(path.c_str(), R_OK) != 0) {
        const int error = errno;
        return "file " + path + " cannot be read: " + std::strerror(error) + of_file(connector);
    }
    if (status.st_size == 0) {
        return "file " + path + " is empty" + of_file(connector);
    }
    return std::nullopt;
}

void authenticate(LiveRequest& request, const Connector& connector) {
    const std::string& method = connector.auth_method;
    if (method == "oauth2") {
        throw usage_error("connector " + connector.system_code +
                          ": auth_method oauth2 is not supported for live calls; store an "
                          "access token in the secret source and use bearer")
            .with_field("auth_method");
    }
    if (!needs_secret(method)) {
        return;  // none, or no auth_method
    }
    webhooks::Secret secret = read_connector_secret(connector);
    if (method == "bearer") {
        request.secret_headers.push_back({"Authorization", "Bearer " + secret.value});
    } else if (method == "basic") {
        // The secret source holds "user:password", as curl's --user takes it.
        if (secret.value.find(':') == std::string::npos) {
            throw usage_error("connector " + connector.system_code +
                              ": a basic secret is user:password, and " + secret.source +
                              " holds no ':'");
        }
        request.secret_headers.push_back({"Authorization", "Basic " + base64_encode(secret.value)});
    } else if (method == "api_key") {
        request.secret_headers.push_back(
            {connector.auth_header.empty() ? kDefaultApiKeyHeader : connector.auth_header,
             secret.value});
    } else if (method == "hmac") {
        if (request.scheme == nullptr) {
            request.scheme = &webhooks::scheme_named(kDefaultHmacScheme);
            request.secret = std::move(secret);
        }
    }
}

}  // namespace salesint::execute
