import Foundation
import Logging
import ServiceLifecycle

/// Runs the handler of one kind of job. Throwing records a failed attempt.
public typealias JobHandler = @Sendable (Job) async throws -> Void

/// Claims due jobs and runs their handlers until the service is asked to shut down.
public struct JobWorker: Service {
    let queue: JobQueue
    let handlers: [String: JobHandler]
    public let workerID: String
    let batchSize: Int
    let lease: Duration
    let pollInterval: Duration
    let logger: Logger

    /// A worker with its handlers by job kind. The worker id is unique per process and instance.
    public init(
        queue: JobQueue, handlers: [String: JobHandler], workerID: String? = nil, batchSize: Int = 10,
        lease: Duration = .seconds(300), pollInterval: Duration = .milliseconds(500), logger: Logger
    ) {
        self.queue = queue
        self.handlers = handlers
        self.workerID = workerID ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
        self.batchSize = batchSize
        self.lease = lease
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Polls until graceful shutdown; a job in hand is finished before the worker stops.
    public func run() async throws {
        logger.info("job worker started", metadata: ["worker": "\(workerID)"])
        var idleWait = pollInterval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let ran = try await runOnce()
                idleWait = pollInterval
                if ran > 0 { continue }
            } catch {
                logger.error("job worker could not reach the queue", metadata: ["error": "\(error)"])
                // Back off while the database is away, up to a few seconds.
                idleWait = min(idleWait * 2, .seconds(5))
            }
            try? await Task.sleep(for: idleWait)
        }
        logger.info("job worker stopped", metadata: ["worker": "\(workerID)"])
    }

    /// Claims one batch and runs it; returns how many jobs were claimed.
    @discardableResult
    public func runOnce(now: Date = Date()) async throws -> Int {
        let jobs = try await queue.claim(workerID: workerID, limit: batchSize, lease: lease, now: now)
        for job in jobs {
            guard let handler = handlers[job.kind] else {
                try await queue.fail(job, reason: "no handler for job kind \(job.kind)")
                logger.error("job has no handler", metadata: ["job": "\(job.id)", "kind": "\(job.kind)"])
                continue
            }
            do {
                try await handler(job)
                try await queue.complete(job)
            } catch {
                let state = try await queue.fail(job, reason: String(describing: error))
                logger.warning(
                    "job attempt failed",
                    metadata: [
                        "job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempts)",
                        "next_state": "\(state.rawValue)",
                    ]
                )
            }
        }
        return jobs.count
    }
}
