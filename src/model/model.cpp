#include "salesint/model.hpp"

namespace salesint {

const char* to_string(MappingStatus status) {
    switch (status) {
        case MappingStatus::kActive:
            return "active";
        case MappingStatus::kPendingReview:
            return "pending_review";
        case MappingStatus::kRetired:
            return "retired";
    }
    return "pending_review";
}

std::optional<MappingStatus> parse_mapping_status(const std::string& text) {
    if (text == "active")
        return MappingStatus::kActive;
    if (text == "pending_review")
        return MappingStatus::kPendingReview;
    if (text == "retired")
        return MappingStatus::kRetired;
    return std::nullopt;
}

const char* to_string(CheckpointKind kind) {
    switch (kind) {
        case CheckpointKind::kInteger:
            return "integer";
        case CheckpointKind::kTimestamp:
            return "timestamp";
        case CheckpointKind::kString:
            return "string";
    }
    return "string";
}

std::optional<CheckpointKind> parse_checkpoint_kind(const std::string& text) {
    if (text == "integer")
        return CheckpointKind::kInteger;
    if (text == "timestamp")
        return CheckpointKind::kTimestamp;
    if (text == "string")
        return CheckpointKind::kString;
    return std::nullopt;
}

const char* to_string(BreakerState state) {
    switch (state) {
        case BreakerState::kClosed:
            return "closed";
        case BreakerState::kOpen:
            return "open";
        case BreakerState::kHalfOpen:
            return "half_open";
    }
    return "closed";
}

BreakerState parse_breaker_state(const std::string& text) {
    if (text == "open") {
        return BreakerState::kOpen;
    }
    if (text == "half_open") {
        return BreakerState::kHalfOpen;
    }
    return BreakerState::kClosed;
}

bool is_recorded(ExecutionStatus status) {
    return status == ExecutionStatus::kSucceeded || status == ExecutionStatus::kFailed ||
           status == ExecutionStatus::kDeadLettered;
}

const char* to_string(ExecutionStatus status) {
    switch (status) {
        case ExecutionStatus::kSucceeded:
            return "succeeded";
        case ExecutionStatus::kFailed:
            return "failed";
        case ExecutionStatus::kDeadLettered:
            return "dead_lettered";
        case ExecutionStatus::kRejected:
            return "rejected";
        case ExecutionStatus::kConflict:
            return "conflict";
        case ExecutionStatus::kRateLimited:
            return "rate_limited";
        case ExecutionStatus::kCircuitOpen:
            return "circuit_open";
        case ExecutionStatus::kInvalidJson:
            return "invalid_json";
        case ExecutionStatus::kPlanned:
            return "planned";
    }
    return "failed";
}

std::optional<ExecutionStatus> parse_execution_status(const std::string& text) {
    for (ExecutionStatus status :
         {ExecutionStatus::kSucceeded, ExecutionStatus::kFailed, ExecutionStatus::kDeadLettered,
          ExecutionStatus::kRejected, ExecutionStatus::kConflict, ExecutionStatus::kRateLimited,
          ExecutionStatus::kCircuitOpen, ExecutionStatus::kInvalidJson,
          ExecutionStatus::kPlanned}) {
        if (text == to_string(status)) {
            return status;
        }
    }
    return std::nullopt;
}

const char* to_string(ExecutionMode mode) {
    switch (mode) {
        case ExecutionMode::kDeterministic:
            return "deterministic";
        case ExecutionMode::kLive:
            return "live";
    }
    return "deterministic";
}

std::optional<ExecutionMode> parse_execution_mode(const std::string& text) {
    if (text == "deterministic")
        return ExecutionMode::kDeterministic;
    if (text == "live")
        return ExecutionMode::kLive;
    return std::nullopt;
}

const char* to_string(DlqStatus status) {
    switch (status) {
        case DlqStatus::kPending:
            return "pending";
        case DlqStatus::kReplaying:
            return "replaying";
        case DlqStatus::kReplayed:
            return "replayed";
        case DlqStatus::kArchived:
            return "archived";
    }
    return "pending";
}

std::optional<DlqStatus> parse_dlq_status(const std::string& text) {
    if (text == "pending")
        return DlqStatus::kPending;
    if (text == "replaying")
        return DlqStatus::kReplaying;
    if (text == "replayed")
        return DlqStatus::kReplayed;
    if (text == "archived")
        return DlqStatus::kArchived;
    return std::nullopt;
}

OutboxStatus status_of(const OutboxMessage& message) {
    if (!message.published_at.empty())
        return OutboxStatus::kPublished;
    if (!message.dead_lettered_at.empty())
        return OutboxStatus::kDeadLettered;
    return message.publish_attempts > 0 ? OutboxStatus::kFailed : OutboxStatus::kPending;
}

const char* to_string(OutboxStatus status) {
    switch (status) {
        case OutboxStatus::kPending:
            return "pending";
        case OutboxStatus::kPublished:
            return "published";
        case OutboxStatus::kFailed:
            return "failed";
        case OutboxStatus::kDeadLettered:
            return "dead_lettered";
    }
    return "pending";
}

std::optional<OutboxStatus> parse_outbox_status(const std::string& text) {
    if (text == "pending")
        return OutboxStatus::kPending;
    if (text == "published")
        return OutboxStatus::kPublished;
    if (text == "failed")
        return OutboxStatus::kFailed;
    if (text == "dead_lettered")
        return OutboxStatus::kDeadLettered;
    return std::nullopt;
}

const char* to_string(JobStatus status) {
    switch (status) {
        case JobStatus::kRunning:
            return "running";
        case JobStatus::kSucceeded:
            return "succeeded";
        case JobStatus::kFailed:
            return "failed";
        case JobStatus::kPartial:
            return "partial";
        case JobStatus::kCancelled:
            return "cancelled";
        case JobStatus::kInterrupted:
            return "interrupted";
    }
    return "running";
}

std::optional<JobStatus> parse_job_status(const std::string& text) {
    for (JobStatus status : {JobStatus::kRunning, JobStatus::kSucceeded, JobStatus::kFailed,
                             JobStatus::kPartial, JobStatus::kCancelled, JobStatus::kInterrupted}) {
        if (text == to_string(status)) {
            return status;
        }
    }
    return std::nullopt;
}

}  // namespace salesint
