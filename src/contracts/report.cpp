#include "salesint/contracts/report.hpp"

#include <map>

#include "salesint/errors.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/version.hpp"

namespace salesint::contracts {
namespace {

std::string located_message(const Violation& violation) {
    return violation.pointer.empty() ? violation.message
                                     : violation.message + " (at " + violation.pointer + ")";
}

const std::string kNotJson = "(not JSON)";

// The schemas the documents of one file were checked against, and why.
class FileTally {
  public:
    void add(const DocumentResult& document) {
        ++documents;
        valid += document.parsed && document.violations.empty() ? 1 : 0;
        // Runs of documents share a schema: count them before naming them.
        const std::string& schema = document.parsed ? document.schema : kNotJson;
        if (run_ > 0 && (schema != run_schema_ || document.picked_by != run_picked_by_)) {
            close_run();
        }
        if (run_ == 0) {
            run_schema_ = schema;
            run_picked_by_ = document.picked_by;
        }
        ++run_;
    }

    // "integration-fact (picked by topic)" -> documents checked against it.
    const std::map<std::string, std::size_t>& schemas() {
        close_run();
        return schemas_;
    }

    std::size_t documents = 0;
    std::size_t valid = 0;

  private:
    void close_run() {
        if (run_ == 0) {
            return;
        }
        std::string key = run_schema_.empty() ? "(no schema)" : run_schema_;
        if (!run_picked_by_.empty() && run_picked_by_ != "option") {
            key += " (picked by " + run_picked_by_ + ")";
        }
        schemas_[key] += run_;
        run_ = 0;
    }

    std::string run_schema_;
    std::string run_picked_by_;
    std::size_t run_ = 0;
    std::map<std::string, std::size_t> schemas_;
};

// file:line:col: rule: message, and one line per file naming its schemas.
class TextReporter : public Reporter {
  public:
    TextReporter(std::ostream& out, ReportInfo info) : out_(out), info_(std::move(info)) {}

    void document(const DocumentResult& document) override {
        if (document.file != file_) {
            flush_file();
            file_ = document.file;
        }
        tally_.add(document);
        for (const Violation& violation : document.violations) {
            out_ << escape_control(document.file) << ':' << violation.line << ':'
                 << violation.column << ": " << violation.rule << ": "
                 << escape_control(located_message(violation)) << '\n';
        }
    }

    void finish(const Summary& summary) override {
        flush_file();
        out_ << summary_text(summary, info_) << '\n';
    }

  private:
    void flush_file() {
        if (tally_.documents > 0 && !info_.quiet && !info_.changes) {
            out_ << escape_control(file_) << ": " << tally_.documents
                 << (tally_.documents == 1 ? " document: " : " documents: ");
            const char* separator = "";
            const auto& schemas = tally_.schemas();
            for (const auto& [schema, count] : schemas) {
                out_ << separator << schema;
                if (schemas.size() > 1 || count > 1) {
                    out_ << " x" << count;
                }
                separator = ", ";
            }
            out_ << '\n';
        }
        tally_ = FileTally();
    }

    std::ostream& out_;
    ReportInfo info_;
    std::string file_;
    FileTally tally_;
};

OrderedJson summary_object(const Summary& summary) {
    return {
        {"files", summary.files},           {"documents", summary.documents},
        {"valid", summary.valid},           {"invalid", summary.invalid},
        {"violations", summary.violations}, {"unparseable", summary.unparseable},
        {"suppressed", summary.suppressed}, {"exit_code", static_cast<int>(summary.exit_code())}};
}

// Everything kept until finish, for the formats that are one document.
class CollectingReporter : public Reporter {
  public:
    CollectingReporter(std::ostream& out, ReportInfo info) : out_(out), info_(std::move(info)) {}

    void document(const DocumentResult& document) override {
        if (files_.empty() || files_.back().name != document.file) {
            files_.push_back({document.file, {}, {}});
        }
        files_.back().tally.add(document);
        if (!document.violations.empty()) {
            files_.back().failing.push_back(document);
        }
    }

  protected:
    struct File {
        std::string name;
        FileTally tally;
        std::vector<DocumentResult> failing;
    };
    std::ostream& out_;
    ReportInfo info_;
    std::vector<File> files_;
};

class JsonReporter : public CollectingReporter {
  public:
    using CollectingReporter::CollectingReporter;

    void finish(const Summary& summary) override {
        OrderedJson files = OrderedJson::array();
        OrderedJson violations = OrderedJson::array();
        for (File& file : files_) {
            OrderedJson schemas = OrderedJson::object();
            for (const auto& [schema, count] : file.tally.schemas()) {
                schemas[schema] = count;
            }
            files.push_back({{"file", file.name},
                             {"documents", file.tally.documents},
                             {"valid", file.tally.valid},
                             {"schemas", std::move(schemas)}});
            for (const DocumentResult& document : file.failing) {
                for (const Violation& violation : document.violations) {
                    violations.push_back(violation_row(document, violation));
                }
            }
        }
        OrderedJson report = {{"command", info_.command},
                              {"summary", summary_object(summary)},
                              {"files", std::move(files)},
                              {"violations", std::move(violations)}};
        out_ << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
};

std::string xml_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                // XML 1.0 forbids most control characters even escaped.
                out += (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') ? ' ' : c;
        }
    }
    return out;
}

// One <testsuite> per file, one <testcase> per document: CI servers show a
// failing document with every violation it has.
class JunitReporter : public CollectingReporter {
  public:
    JunitReporter(std::ostream& out, ReportInfo info) : CollectingReporter(out, std::move(info)) {}

    void document(const DocumentResult& document) override {
        CollectingReporter::document(document);
        cases_[document.file].push_back(
            {document.line, document.schema, document.parsed, document.violations.empty()});
    }

    void finish(const Summary& summary) override {
        out_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             << "<testsuites name=\"" << xml_escape("salesint " + info_.command) << "\" tests=\""
             << summary.documents << "\" failures=\"" << summary.invalid << "\" errors=\""
             << summary.unparseable << "\">\n";
        for (const File& file : files_) {
            const auto& cases = cases_[file.name];
            std::size_t errors = 0;
            for (const Case& test : cases) {
                errors += test.parsed ? 0 : 1;
            }
            out_ << "  <testsuite name=\"" << xml_escape(file.name) << "\" tests=\"" << cases.size()
                 << "\" failures=\"" << (cases.size() - file.tally.valid - errors) << "\" errors=\""
                 << errors << "\">\n";
            std::size_t next_failing = 0;
            for (const Case& test : cases) {
                out_ << "    <testcase name=\"" << xml_escape(file.name) << ':' << test.line
                     << "\" classname=\""
                     << xml_escape(test.schema.empty() ? "unknown" : test.schema) << '"';
                if (test.clean) {
                    out_ << "/>\n";
                    continue;
                }
                out_ << ">\n";
                const DocumentResult& failing = file.failing[next_failing++];
                for (const Violation& violation : failing.violations) {
                    const char* element = failing.parsed ? "failure" : "error";
                    out_ << "      <" << element << " type=\"" << xml_escape(violation.rule)
                         << "\" message=\"" << xml_escape(violation.rule + ": " + violation.message)
                         << "\">" << xml_escape(file.name) << ':' << violation.line << ':'
                         << violation.column << ": " << xml_escape(located_message(violation))
                         << "</" << element << ">\n";
                }
                out_ << "    </testcase>\n";
            }
            out_ << "  </testsuite>\n";
        }
        out_ << "</testsuites>\n";
    }

  private:
    struct Case {
        std::size_t line;
        std::string schema;
        bool parsed;
        bool clean;
    };
    std::map<std::string, std::vector<Case>> cases_;
};

// GitHub's workflow command syntax: data escapes % CR LF; properties also : ,
std::string github_escape(std::string_view text, bool property) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '%':
                out += "%25";
                break;
            case '\r':
                out += "%0D";
                break;
            case '\n':
                out += "%0A";
                break;
            case ':':
                out += property ? "%3A" : ":";
                break;
            case ',':
                out += property ? "%2C" : ",";
                break;
            default:
                // Other control characters would reach the log as they are.
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                    out += escape_control(std::string_view(&c, 1));
                } else {
                    out += c;
                }
        }
    }
    return out;
}

class GithubReporter : public Reporter {
  public:
    GithubReporter(std::ostream& out, ReportInfo info) : out_(out), info_(std::move(info)) {}

    void document(const DocumentResult& document) override {
        for (const Violation& violation : document.violations) {
            out_ << "::error file=" << github_escape(document.file, true)
                 << ",line=" << violation.line << ",col=" << violation.column
                 << ",title=" << github_escape(violation.rule, true)
                 << "::" << github_escape(located_message(violation), false) << '\n';
        }
    }

    void finish(const Summary& summary) override {
        out_ << "::notice title=" << github_escape("salesint " + info_.command, true)
             << "::" << github_escape(summary_text(summary, info_), false) << '\n';
    }

  private:
    std::ostream& out_;
    ReportInfo info_;
};

OrderedJson sarif_rules(const ReportInfo& info, std::map<std::string_view, std::size_t>& index_of) {
    OrderedJson rules = OrderedJson::array();
    for (const RuleInfo& rule : *info.rules) {
        index_of[rule.id] = rules.size();
        rules.push_back({{"id", rule.id},
                         {"shortDescription", {{"text", rule.summary}}},
                         {"defaultConfiguration", {{"level", "error"}}}});
    }
    return rules;
}

// The SARIF document of one run: its rules, results and one invocation,
// which says whether the run could read everything and, if not, why.
void write_sarif(std::ostream& out, OrderedJson rules, OrderedJson results, bool successful,
                 OrderedJson notifications) {
    OrderedJson driver = {{"name", "salesint"}, {"version", kVersion}, {"rules", std::move(rules)}};
    OrderedJson invocation = {{"executionSuccessful", successful},
                              {"toolExecutionNotifications", std::move(notifications)}};
    OrderedJson sarif = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", OrderedJson::array({{{"tool", {{"driver", std::move(driver)}}},
                                      {"invocations", OrderedJson::array({std::move(invocation)})},
                                      {"results", std::move(results)}}})}};
    out << sarif.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

OrderedJson notification(const std::string& text) {
    return {{"level", "error"}, {"message", {{"text", text}}}};
}

class SarifReporter : public CollectingReporter {
  public:
    using CollectingReporter::CollectingReporter;

    void finish(const Summary& summary) override {
        std::map<std::string_view, std::size_t> index_of;
        OrderedJson rules = sarif_rules(info_, index_of);
        OrderedJson notifications = OrderedJson::array();
        OrderedJson results = OrderedJson::array();
        for (const File& file : files_) {
            for (const DocumentResult& document : file.failing) {
                if (!document.parsed) {
                    // Unreadable input fails the run (exit 2): said as such too.
                    for (const Violation& violation : document.violations) {
                        notifications.push_back(notification(
                            document.file + ":" + std::to_string(violation.line) + ":" +
                            std::to_string(violation.column) + ": " + violation.message));
                    }
                }
                for (const Violation& violation : document.violations) {
                    OrderedJson result = {{"ruleId", violation.rule}};
                    if (auto found = index_of.find(violation.rule); found != index_of.end()) {
                        result["ruleIndex"] = found->second;
                    }
                    result["level"] = "error";
                    result["message"] = {{"text", located_message(violation)}};
                    result["locations"] =
                        OrderedJson::array({{{"physicalLocation",
                                              {{"artifactLocation", {{"uri", document.file}}},
                                               {"region",
                                                {{"startLine", violation.line},
                                                 {"startColumn", violation.column}}}}}}});
                    if (!violation.fingerprint.empty()) {
                        result["partialFingerprints"] = {{"salesint/v1", violation.fingerprint}};
                    }
                    results.push_back(std::move(result));
                }
            }
        }
        write_sarif(out_, std::move(rules), std::move(results), summary.unparseable == 0,
                    std::move(notifications));
    }
};

}  // namespace

OrderedJson violation_row(const DocumentResult& document, const Violation& violation) {
    return {{"file", document.file},
            {"line", violation.line},
            {"column", violation.column},
            {"rule", violation.rule},
            {"pointer", violation.pointer},
            {"message", violation.message},
            {"schema", document.schema},
            {"document_line", document.line},
            {"fingerprint", violation.fingerprint}};
}

std::string summary_text(const Summary& summary, const ReportInfo& info) {
    return info.changes ? summary.change_line() : summary.line(info.noun.c_str());
}

void write_sarif_failure(std::ostream& out, const ReportInfo& info, const std::string& error) {
    std::map<std::string_view, std::size_t> index_of;
    write_sarif(out, sarif_rules(info, index_of), OrderedJson::array(), false,
                OrderedJson::array({notification(error)}));
}

std::unique_ptr<Reporter> make_reporter(std::string_view format, std::ostream& out,
                                        ReportInfo info) {
    if (format == "json") {
        return std::make_unique<JsonReporter>(out, std::move(info));
    }
    if (format == "junit") {
        return std::make_unique<JunitReporter>(out, std::move(info));
    }
    if (format == "github") {
        return std::make_unique<GithubReporter>(out, std::move(info));
    }
    if (format == "sarif") {
        return std::make_unique<SarifReporter>(out, std::move(info));
    }
    if (format == "text") {
        return std::make_unique<TextReporter>(out, std::move(info));
    }
    throw usage_error("format " + std::string(format) +
                      ": expected text, json, junit, github or sarif")
        .with_field("format");
}

}  // namespace salesint::contracts
