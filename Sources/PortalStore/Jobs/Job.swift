import Foundation

/// A unit of background work in the jobs table.
public struct Job: Sendable, Hashable {
    public let id: Int64
    public let kind: String
    /// JSON text the handler decodes; never personal data beyond identifiers.
    public let payload: String
    public let state: JobState
    /// Attempts started so far, including the current one for a claimed job.
    public let attempts: Int
    public let maxAttempts: Int
    public let runAt: Date
    public let lockedBy: String?
    public let lastError: String?
    public let createdAt: Date
}

/// Where a job is in its life.
public enum JobState: String, Sendable, Hashable, CaseIterable {
    /// Waiting for `run_at`.
    case queued
    /// Claimed by a worker whose lease has not expired.
    case running
    case succeeded
    /// Failed `max_attempts` times; kept for an administrator to read and retry.
    case dead
}
