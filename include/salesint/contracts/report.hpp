// The output formats of `contract validate` and `contract breaking`: text for
// people, json for scripts, and the formats CI servers read (JUnit XML, GitHub
// workflow commands, SARIF 2.1.0).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "salesint/contracts/rules.hpp"
#include "salesint/contracts/violation.hpp"
#include "salesint/util/json.hpp"

namespace salesint::contracts {

inline const std::vector<std::string> kReportFormats{"text", "json", "junit", "github", "sarif"};

struct ReportInfo {
    std::string command;  // "contract validate"
    std::string noun;     // what the documents are, for the summary line
    const std::vector<RuleInfo>* rules = nullptr;
    bool changes = false;  // schemas compared: the summary in change wording
    bool quiet = false;    // text: only violations and the summary
};

// The summary line of a report: Summary::line, or change_line for changes.
std::string summary_text(const Summary& summary, const ReportInfo& info);

// One violation of a document as the json report lists it under
// "violations", and as -o csv and -o ndjson print it (one a row).
OrderedJson violation_row(const DocumentResult& document, const Violation& violation);

// A SARIF 2.1.0 document for a run that could not finish: no results, and
// the error in invocations[0].toolExecutionNotifications, so that a CI step
// uploading the file always has one to upload.
void write_sarif_failure(std::ostream& out, const ReportInfo& info, const std::string& error);

class Reporter {
  public:
    virtual ~Reporter() = default;
    // Called for every document, in order. Text and github print at once;
    // the others print at finish.
    virtual void document(const DocumentResult& document) = 0;
    virtual void finish(const Summary& summary) = 0;
};

// format is one of kReportFormats.
std::unique_ptr<Reporter> make_reporter(std::string_view format, std::ostream& out,
                                        ReportInfo info);

}  // namespace salesint::contracts
