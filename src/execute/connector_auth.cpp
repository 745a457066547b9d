#include "connector_auth.hpp"

#include "salesint/errors.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/webhooks/secrets.hpp"

namespace salesint::execute {

webhooks::Secret read_connector_secret(const Connector& connector) {
    webhooks::SecretSources sources;
    if (!connector.secret_env.empty()) {
        sources.env_vars.push_back(connector.secret_env);
    } else if (!connector.secret_file.empty()) {
        sources.files.push_back(connector.secret_file);
    } else {
        throw usage_error(
            "connector " + connector.system_code + " authenticates with " +
            (connector.auth_method.empty() ? std::string("a secret") : connector.auth_method) +
            " but names no secret source")
            .with_hint(Hint::kSetConnectorSecret, {connector.system_code});
    }
    webhooks::LoadedSecrets loaded = webhooks::load_secrets(sources);
    if (loaded.secrets.empty()) {
        throw usage_error(!connector.secret_env.empty()
                              ? "environment variable " + connector.secret_env +
                                    " is not set (the secret_env of connector " +
                                    connector.system_code + ")"
                              : "file " + connector.secret_file +
                                    " is empty (the secret_file of "
                                    "connector " +
                                    connector.system_code + ")");
    }
    return loaded.secrets.front();
}

void authenticate(LiveRequest& request, const Connector& connector) {
    const std::string& method = connector.auth_method;
    if (method.empty() || method == "none") {
        return;
    }
    if (method == "oauth2") {
        throw usage_error("connector " + connector.system_code +
                          ": auth_method oauth2 is not supported for live calls; store an "
                          "access token in the secret source and use bearer")
            .with_field("auth_method");
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
