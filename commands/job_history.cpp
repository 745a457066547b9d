// salesint job list | show RUN | errors RUN
#include "groups.hpp"

namespace salesint::cli {

void install_job_history(Command /*group*/) {}

}  // namespace salesint::cli
