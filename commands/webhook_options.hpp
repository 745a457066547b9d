// Options shared by the webhook commands: the scheme, the secret sources and
// the payload.
#pragma once

#include <string>

#include "command.hpp"
#include "context.hpp"
#include "salesint/delivery/sender.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/webhooks/scheme.hpp"
#include "salesint/webhooks/secrets.hpp"

namespace salesint::cli {

struct SchemeOptions {
    std::string scheme;
    webhooks::SecretSources secrets;
    std::string payload;

    void add_to(Command& command, bool payload_required = true) {
        command
            .choice("--scheme", scheme, {"fsm", "standard", "stripe", "github"}, "Signature scheme")
            .required();
        add_secret_options(command);
        if (payload_required) {
            command.option("--payload", payload, "The body, byte for byte ('-' for stdin)")
                .type_name("FILE")
                .required();
        }
    }

    void add_secret_options(Command& command) {
        command
            .option("--secret-env", secrets.env_vars,
                    "Environment variable holding a secret (repeatable: rotation)")
            .type_name("VAR")
            .identifier();
        command.option("--secret-file", secrets.files, "File holding a secret (repeatable)")
            .type_name("PATH");
        command
            .option("--secret", secrets.values,
                    "A secret on the command line, for local tries only (repeatable)")
            .type_name("VALUE");
    }

    // Exactly one secret, for signing.
    webhooks::Secret load_one_secret(const char* command) const {
        webhooks::LoadedSecrets loaded = load_secrets();
        if (loaded.secrets.empty()) {
            throw usage_error("no secret: " + join(loaded.notes, "; "));
        }
        if (loaded.secrets.size() > 1) {
            throw usage_error(std::string(command) + " signs with one secret, got " +
                              std::to_string(loaded.secrets.size()));
        }
        return loaded.secrets.front();
    }

    webhooks::LoadedSecrets load_secrets() const {
        if (secrets.empty()) {
            throw usage_error(
                "give a secret with --secret-env VAR, --secret-file PATH or --secret VALUE");
        }
        return webhooks::load_secrets(secrets);
    }
};

// The webhook subcommands defined in files of their own.
void install_serve(Command group);
void install_send(Command group);

// Prints the outcome of `webhook send` (exit 1 refused, 5 retries ran out).
ExitCode print_send_result(Context& context, const delivery::SendRequest& request,
                           const delivery::SendResult& result, const std::string& dlq_id);

// Prints a verdict as `webhook verify` does (also sets exit code 1 when invalid).
ExitCode print_verdict(Context& context, const webhooks::Scheme& scheme,
                       const webhooks::Verdict& verdict, bool explain);

}  // namespace salesint::cli
