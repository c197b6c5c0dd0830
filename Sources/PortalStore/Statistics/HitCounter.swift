import Synchronization

/// Page views counted in memory and written to the `hits` counter in batches, so that serving a page never waits
/// on a database write. Whatever has not been flushed is added to the figure when it is read.
public final class HitCounter: Sendable {
    private let pending = Atomic<Int64>(0)

    /// An empty counter.
    public init() {}

    /// Counts one page view.
    public func record() {
        pending.wrappingAdd(1, ordering: .relaxed)
    }

    /// The page views not yet written.
    public var unflushed: Int64 { pending.load(ordering: .relaxed) }

    /// Adds the pending views to the stored counter; if the write fails they stay pending for the next flush.
    public func flush(to database: Database) async throws {
        let count = pending.exchange(0, ordering: .relaxed)
        guard count > 0 else { return }
        do {
            try await CounterStore.increment(.hits, by: count, on: database.sql)
        } catch {
            pending.wrappingAdd(count, ordering: .relaxed)
            throw error
        }
    }
}
