import Synchronization

/// The statistics' period figures, computed once per refresh: they change only when the periodic refresh rewrites
/// the aggregates, so a figure computed for a key stays right until `refreshed_at` moves. Without this, every view
/// of the statistics page summed the daily aggregates of the whole period again, and with a million dossiers that
/// took seconds a view.
///
/// Requests that arrive while a figure is being computed wait for the same computation. A failed computation is
/// forgotten, so the next request tries again. At most `capacity` keys are kept (the period and agency come from
/// the address): past that, the cache starts afresh.
final class AggregateCache: Sendable {
    static let capacity = 256

    private struct Entry {
        let stamp: Int64
        let task: Task<any Sendable, any Error>
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The value for `key` computed at this refresh (`stamp`), computing it when there is none.
    func value<Value: Sendable>(
        _ key: String, stamp: Int64, compute: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let task = entries.withLock { entries -> Task<any Sendable, any Error> in
            if let entry = entries[key], entry.stamp == stamp { return entry.task }
            if entries.count >= Self.capacity { entries.removeAll() }
            let task = Task<any Sendable, any Error> { try await compute() }
            entries[key] = Entry(stamp: stamp, task: task)
            return task
        }
        do {
            // SAFETY of the cast: a key names one kind of figure, always computed by the same function.
            guard let value = try await task.value as? Value else { throw AggregateCacheError.wrongType(key) }
            return value
        } catch {
            entries.withLock { entries in
                if entries[key]?.task == task { entries[key] = nil }
            }
            throw error
        }
    }
}

enum AggregateCacheError: Error {
    case wrongType(String)
}
