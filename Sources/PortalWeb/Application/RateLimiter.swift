import Foundation
import HTTPTypes

/// A fixed-window request limit per client, in memory: enough to stop one client from scraping the public
/// lookup, without a database write per request. Each `serve` process counts on its own.
actor RateLimiter {
    let limit: Int
    let window: TimeInterval
    private var counts: [String: (windowStart: Date, count: Int)] = [:]
    private var lastSweep = Date()

    init(limit: Int, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Counts a request; returns nil when allowed, or the seconds until the client may try again.
    func check(_ key: String, now: Date = Date()) -> Int? {
        sweep(now)
        var entry = counts[key] ?? (now, 0)
        if now.timeIntervalSince(entry.windowStart) >= window { entry = (now, 0) }
        guard entry.count < limit else {
            return max(1, Int((window - now.timeIntervalSince(entry.windowStart)).rounded(.up)))
        }
        entry.count += 1
        counts[key] = entry
        return nil
    }

    /// Forgets finished windows now and then, so memory stays bounded by the clients of one window.
    private func sweep(_ now: Date) {
        guard now.timeIntervalSince(lastSweep) >= window else { return }
        lastSweep = now
        counts = counts.filter { now.timeIntervalSince($0.value.windowStart) < window }
    }
}

extension RateLimiter {
    /// Counts a request; over the limit, a 429 with `Retry-After`.
    func enforce(_ key: String) throws {
        if let wait = check(key) {
            throw PortalError(.tooManyRequests, code: "too_many_requests", messageKey: "error_429", retryAfter: wait)
        }
    }
}

/// What the portal's public forms (feedback, home support) share against abuse without a CAPTCHA.
enum PublicForm {
    /// The form's values trimmed, or nil when the field people never see was filled in: a robot, which is
    /// thanked and nothing is stored.
    static func values(_ context: AppRequestContext) -> [String: String]? {
        let values = context.form.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return (values["website"] ?? "").isEmpty ? values : nil
    }
}
