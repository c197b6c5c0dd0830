import Foundation

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
