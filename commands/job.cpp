// salesint job import (job export: job_export.cpp; list, show, errors: job_history.cpp)
#include "context.hpp"
#include "groups.hpp"

namespace salesint::cli {

void install_job(Command group) {
    install_job_export(group);
    install_job_history(group);
}

}  // namespace salesint::cli
