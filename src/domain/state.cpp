#include "salesint/domain/state.hpp"

#include "salesint/domain/checkpoint_value.hpp"
#include "salesint/util/uuid.hpp"

namespace salesint::state {

MigrationReport migration_report(Store& store) {
    store.write([] {});
    MigrationReport report;
    report.applied = store.applied_migrations();
    report.to_version = store.info().schema_version;
    report.from_version = report.applied.empty() ? report.to_version : report.applied.front() - 1;
    return report;
}

namespace {

bool intact(const std::vector<CheckFinding>& findings) {
    for (const auto& finding : findings) {
        if (finding.check == kIntegrityCheck) {
            return finding.ok;
        }
    }
    return true;
}

}  // namespace

std::vector<CheckFinding> check(const std::function<Store&()>& open) {
    Store* store = nullptr;
    try {
        store = &open();
    } catch (const StateDamaged& damaged) {
        return {{kIntegrityCheck, false, damaged.detail()}};
    }
    return check(*store);
}

CheckFinding quick_check(const std::function<Store&()>& open) {
    try {
        return open().quick_check();
    } catch (const StateDamaged& damaged) {
        return {kQuickCheck, false, damaged.detail()};
    }
}

std::vector<CheckFinding> check(Store& store) {
    std::vector<CheckFinding> findings = store.check();
    if (!intact(findings)) {
        return findings;
    }

    // Invariants the schema cannot state: every mapping points to a canonical
    // UUID, every checkpoint value is a normalised value of its kind.
    std::int64_t bad_uuids = 0;
    std::string first_bad_uuid;
    for (const Mapping& mapping : store.list_mappings({})) {
        if (normalize_uuid(mapping.internal_uuid) != mapping.internal_uuid) {
            if (bad_uuids++ == 0) {
                first_bad_uuid = mapping.key.system_code + "/" + mapping.key.entity_type + "/" +
                                 mapping.key.external_id;
            }
        }
    }
    findings.push_back({"mapping_uuids", bad_uuids == 0,
                        bad_uuids == 0 ? "ok"
                                       : std::to_string(bad_uuids) +
                                             " mappings do not point to a canonical UUID, first: " +
                                             first_bad_uuid});

    std::int64_t bad_values = 0;
    std::string first_bad_value;
    for (const Checkpoint& checkpoint : store.list_checkpoints("")) {
        auto parsed = parse_as(checkpoint.kind, checkpoint.value);
        if (!parsed || parsed->normalized != checkpoint.value) {
            if (bad_values++ == 0) {
                first_bad_value = checkpoint.system_code + "/" + checkpoint.entity_type + " = '" +
                                  checkpoint.value + "' (" + to_string(checkpoint.kind) + ")";
            }
        }
    }
    findings.push_back(
        {"checkpoint_values", bad_values == 0,
         bad_values == 0
             ? "ok"
             : std::to_string(bad_values) +
                   " checkpoints hold a value not of their kind, first: " + first_bad_value});
    return findings;
}

bool all_ok(const std::vector<CheckFinding>& findings) {
    for (const auto& finding : findings) {
        if (!finding.ok) {
            return false;
        }
    }
    return true;
}

}  // namespace salesint::state
