// The subcommand groups. Each is defined in its own file and installed from
// the table in cli.cpp, which also drives help, the man page and completions.
#pragma once

#include "command.hpp"

namespace salesint::cli {

void install_state(Command group);
void install_connector(Command group);
void install_mapping(Command group);
void install_checkpoint(Command group);
void install_audit(Command group);
void install_webhook(Command group);
void install_inbox(Command group);
void install_dlq(Command group);
void install_dlq_replay(Command group);  // dlq replay, from install_dlq
void install_outbox(Command group);
void install_stats(Command group);
void install_job(Command group);
void install_job_export(Command group);   // job export, from install_job
void install_job_history(Command group);  // job list | show | errors, from install_job
void install_adapters(Command group);
void install_execute(Command group);
void install_execution(Command group);
void install_contract(Command group);
void install_health(Command group);
void install_completion(Command group);
// A hidden top-level command that prints man/salesint.1 from the command tree.
void install_manpage(Command root);
// The hidden `salesint __complete` that the completion scripts call for values.
void install_value_completion(Command root);

}  // namespace salesint::cli
