import Foundation
import PortalStore
import PortalTestSupport
import SQLKit
import Synchronization
import Testing

@Suite struct JobQueueTests {
    struct Rollback: Error {}

    @Test(arguments: TestEngine.available)
    func aJobEnqueuedInARolledBackTransactionDoesNotExist(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let queue = JobQueue(database: database)
            await #expect(throws: Rollback.self) {
                try await database.transaction { db in
                    try await queue.enqueue(kind: "mail", on: db)
                    throw Rollback()
                }
            }
            #expect(try await queue.list().isEmpty)
            try await database.transaction { db in try await queue.enqueue(kind: "mail", payload: "{\"n\":1}", on: db) }
            let jobs = try await queue.list()
            #expect(jobs.map(\.kind) == ["mail"])
            #expect(jobs.first?.payload == "{\"n\":1}")
            #expect(jobs.first?.state == .queued)
        }
    }

    @Test(arguments: TestEngine.available)
    func aJobIsNotClaimedBeforeItsTime(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let queue = JobQueue(database: database)
            let now = Date()
            try await queue.enqueue(kind: "later", runAt: now.addingTimeInterval(60), on: database.sql)
            #expect(try await queue.claim(workerID: "w", limit: 10, lease: .seconds(30), now: now).isEmpty)
            let claimed = try await queue.claim(
                workerID: "w", limit: 10, lease: .seconds(30), now: now.addingTimeInterval(61))
            #expect(claimed.map(\.kind) == ["later"])
            #expect(claimed.first?.attempts == 1)
            #expect(claimed.first?.state == .running)
        }
    }

    @Test(arguments: TestEngine.available)
    func failuresBackOffExponentiallyThenTheJobIsDeadAndCanBeRetried(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let queue = JobQueue(database: database, defaultMaxAttempts: 3, baseBackoff: .seconds(10))
            let id = try await queue.enqueue(kind: "flaky", on: database.sql)
            var now = Date()
            var waits: [TimeInterval] = []
            for attempt in 1...3 {
                let job = try #require(
                    try await queue.claim(workerID: "w", limit: 1, lease: .seconds(30), now: now).first)
                #expect(job.id == id)
                #expect(job.attempts == attempt)
                let state = try await queue.fail(job, reason: "attempt \(attempt) failed", now: now)
                #expect(state == (attempt == 3 ? .dead : .queued))
                if attempt < 3 {
                    let queued = try #require(try await queue.list(state: .queued).first)
                    waits.append(queued.runAt.timeIntervalSince(now))
                    // Nothing is due before the backoff has passed.
                    #expect(try await queue.claim(workerID: "w", limit: 1, lease: .seconds(30), now: now).isEmpty)
                    now = queued.runAt
                }
            }
            #expect(waits.map { $0.rounded() } == [10, 20])
            let dead = try await queue.list(state: .dead)
            #expect(dead.map(\.id) == [id])
            #expect(dead.first?.lastError == "attempt 3 failed")
            #expect(try await queue.counts()[.dead] == 1)
            #expect(try await queue.retry(id: id))
            #expect(try await queue.list(state: .queued).map(\.id) == [id])
        }
    }

    @Test(arguments: TestEngine.available)
    func aJobWhoseWorkerDiedIsClaimedAgainAfterItsLease(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let queue = JobQueue(database: database)
            try await queue.enqueue(kind: "report", on: database.sql)
            let now = Date()
            let first = try #require(
                try await queue.claim(workerID: "a", limit: 1, lease: .seconds(30), now: now).first)
            #expect(
                try await queue.claim(workerID: "b", limit: 1, lease: .seconds(30), now: now.addingTimeInterval(10))
                    .isEmpty)
            let second = try #require(
                try await queue.claim(workerID: "b", limit: 1, lease: .seconds(30), now: now.addingTimeInterval(31))
                    .first)
            #expect(second.id == first.id)
            #expect(second.attempts == 2)
            // The first worker's late completion is refused; the second worker's is accepted.
            #expect(try await queue.complete(first) == false)
            #expect(try await queue.complete(second) == true)
            #expect(try await queue.list(state: .succeeded).map(\.id) == [first.id])
        }
    }

    @Test(arguments: TestEngine.available)
    func twoWorkersRacingRunEveryJobExactlyOnce(engine: TestEngine) async throws {
        try await TestDatabases.withDatabaseURL(engine) { url, _ in
            let setup = try await Database.open(url, logger: TestDatabases.quietLogger)
            let jobCount = 200
            try await setup.transaction { db in
                for index in 0..<jobCount {
                    try await JobQueue(database: setup).enqueue(kind: "count", payload: "\(index)", on: db)
                }
            }
            let runs = Mutex<[String: [String]]>([:])
            // Each worker has its own pool, as two processes would.
            func makeWorker(_ name: String) async throws -> (JobWorker, Database) {
                let database = try await Database.open(url, logger: TestDatabases.quietLogger)
                let handler: JobHandler = { job in
                    runs.withLock { $0[job.payload, default: []].append(name) }
                }
                return (
                    JobWorker(
                        queue: JobQueue(database: database), handlers: ["count": handler], workerID: name, batchSize: 7,
                        logger: TestDatabases.quietLogger),
                    database
                )
            }
            let (a, databaseA) = try await makeWorker("a")
            let (b, databaseB) = try await makeWorker("b")
            func drain(_ worker: JobWorker) async throws -> Int {
                var total = 0
                while true {
                    let ran = try await worker.runOnce()
                    if ran == 0 { return total }
                    total += ran
                }
            }
            async let ranByA = drain(a)
            async let ranByB = drain(b)
            let (countA, countB) = try await (ranByA, ranByB)
            let seen = runs.withLock { $0 }
            #expect(countA + countB == jobCount)
            #expect(seen.count == jobCount)
            #expect(seen.values.allSatisfy { $0.count == 1 })
            #expect(try await JobQueue(database: setup).counts() == [.succeeded: jobCount])
            await databaseA.shutdown()
            await databaseB.shutdown()
            await setup.shutdown()
        }
    }

    @Test(arguments: TestEngine.available)
    func aJobWithoutAHandlerFailsAndIsRecorded(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let queue = JobQueue(database: database, defaultMaxAttempts: 1)
            try await queue.enqueue(kind: "unknown", on: database.sql)
            let worker = JobWorker(queue: queue, handlers: [:], logger: TestDatabases.quietLogger)
            #expect(try await worker.runOnce() == 1)
            let dead = try await queue.list(state: .dead)
            #expect(dead.first?.lastError == "no handler for job kind unknown")
        }
    }
}
