import Foundation
import PortalCore
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

@Suite struct CatalogueStoreTests {
    @Test func theShippedDemoCatalogueIsCompleteAndConsistent() throws {
        let demo = try DemoCatalogue.bundled()
        #expect(demo.procedures.count >= 30)
        #expect(demo.provinces.count == 34)
        let codes = demo.procedures.map(\.code)
        #expect(Set(codes).count == codes.count)
        for required in ["1.001193", "1.000894", "1.000656", "1.004222", "1.004194", "2.000815", "1.001612"] {
            #expect(codes.contains(required), "the demo catalogue lacks \(required)")
        }
        let groups = Set(demo.groups.map(\.slug))
        let agencies = Set(demo.agencies.map(\.code))
        for procedure in demo.procedures {
            #expect(procedure.groupSlug.map(groups.contains) ?? false, "\(procedure.code) has an unknown group")
            #expect(procedure.handlingAgencyCodes.allSatisfy(agencies.contains), "\(procedure.code): unknown agency")
            #expect(!procedure.name.isEmpty && !procedure.processingTime.text.isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func theDemoCatalogueLoadsOnceIntoAnEmptyDatabase(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = CatalogueStore(database: database)
            let demo = try DemoCatalogue.bundled()
            #expect(try await store.isEmpty())
            #expect(try await demo.loadIfEmpty(into: store))
            #expect(try await demo.loadIfEmpty(into: store) == false)
            let counts = try await store.headlineCounts()
            #expect(counts.procedures == demo.procedures.count)
            #expect(counts.fullyOnline == demo.procedures.filter { $0.onlineLevel == .full }.count)
            #expect(counts.partlyOnline == demo.procedures.filter { $0.onlineLevel == .partial }.count)
            #expect(counts.agencies == demo.agencies.count)
            #expect(try await store.provinces().count == 34)
            let birth = try #require(try await store.procedure(code: "1.001193"))
            #expect(birth.name == "Đăng ký khai sinh")
            #expect(birth == demo.procedures.first { $0.code == "1.001193" })
        }
    }

    /// Search holds the catalogue in memory: a change made here is found at once, one made by another process
    /// (another pool on the same database) within seconds, and searches never wait for that check.
    @Test(arguments: TestEngine.available)
    func searchSeesChangesFromThisProcessAtOnceAndFromOthersSoon(engine: TestEngine) async throws {
        try await TestDatabases.withDatabaseURL(engine) { url, _ in
            let here = try await Database.open(url, logger: TestDatabases.quietLogger)
            let elsewhere = try await Database.open(url, logger: TestDatabases.quietLogger)
            do {
                let demo = try DemoCatalogue.bundled()
                try await demo.loadIfEmpty(into: CatalogueStore(database: here))
                let store = CatalogueStore(database: here)
                #expect(try await store.search("khai sinh").items.first?.code == "1.001193")
                #expect(try await store.search("ngua van").total == 0)

                var renamed = try #require(demo.procedures.first { $0.code == "1.001193" })
                renamed.name = "Đăng ký khai sinh cho ngựa vằn"
                try await store.upsert(procedures: [renamed], source: "test")
                #expect(try await store.search("ngua van").items.map(\.code) == ["1.001193"])

                renamed.name = "Đăng ký khai sinh cho hươu cao cổ"
                try await CatalogueStore(database: elsewhere).upsert(procedures: [renamed], source: "test")
                // Searches go on with the picture they have while a background check, started at most every two
                // seconds, reads the change: it shows within a few seconds.
                let deadline = ContinuousClock.now + .seconds(10)
                while try await store.search("huou cao co").total == 0, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(try await store.search("huou cao co").items.map(\.code) == ["1.001193"])
                #expect(try await store.search("ngua van").total == 0)
            } catch {
                await here.shutdown()
                await elsewhere.shutdown()
                throw error
            }
            await here.shutdown()
            await elsewhere.shutdown()
        }
    }

    @Test(arguments: TestEngine.available)
    func upsertingAgainUpdatesInsteadOfDuplicating(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = CatalogueStore(database: database)
            let demo = try DemoCatalogue.bundled()
            try await demo.loadIfEmpty(into: store)
            var changed = try #require(demo.procedures.first)
            changed.name += " (sửa)"
            try await store.upsert(
                provinces: demo.provinces, agencies: [], groups: [], procedures: [changed], source: "test")
            #expect(try await store.headlineCounts().procedures == demo.procedures.count)
            #expect(try await store.procedure(code: changed.code)?.name == changed.name)
        }
    }

    @Test(arguments: TestEngine.available)
    func searchIgnoresCaseAndAccentsAndRanksTheNameFirst(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = CatalogueStore(database: database)
            try await DemoCatalogue.bundled().loadIfEmpty(into: store)
            for query in ["dang ky khai sinh", "Đăng ký khai sinh", "DANG KY KHAI SINH", "khai sinh", "1.001193"] {
                let page = try await store.search(query)
                #expect(page.items.first?.code == "1.001193", "query \(query)")
            }
            #expect(try await store.search("dang ky ket hon").items.first?.code == "1.000894")
            #expect(try await store.search("thuong tru").items.first?.code == "1.004222")
            #expect(try await store.search("tam tru").items.first?.code == "1.004194")
            #expect(try await store.search("ho kinh doanh").items.contains { $0.code == "1.001612" })
            #expect(try await store.search("xyzzy khong co").total == 0)
            // Typed punctuation separates words, so LIKE wildcards never reach the database as wildcards.
            #expect(try await store.search("khai_sinh").items.first?.code == "1.001193")
            #expect(try await store.search("%").total == (try await store.search("").total))
            #expect(try await store.search("kh%i").total == (try await store.search("kh i").total))
            let group = try await store.search("", group: "ho-tich")
            #expect(group.total > 0 && group.items.allSatisfy { $0.groupSlug == "ho-tich" })
        }
    }

    @Test(arguments: TestEngine.available)
    func searchResultsArePaginated(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = CatalogueStore(database: database)
            try await DemoCatalogue.bundled().loadIfEmpty(into: store)
            let all = try await store.search("", perPage: 1000)
            let first = try await store.search("", page: 1, perPage: 10)
            let second = try await store.search("", page: 2, perPage: 10)
            #expect(first.total == all.total && all.items.count == all.total)
            #expect(first.items.map(\.code) == Array(all.items.prefix(10)).map(\.code))
            #expect(second.items.map(\.code) == Array(all.items.dropFirst(10).prefix(10)).map(\.code))
            #expect(try await store.search("", page: 999, perPage: 10).items.isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func countersAddUpInsideTransactions(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let counters = CounterStore(database: database)
            #expect(try await counters.values()[.statusSyncs] == 0)
            try await database.transaction { db in
                try await CounterStore.increment(.statusSyncs, by: 3, on: db)
                try await CounterStore.increment(.statusSyncs, on: db)
            }
            struct Abort: Error {}
            try? await database.transaction { db in
                try await CounterStore.increment(.statusSyncs, by: 100, on: db)
                throw Abort()
            }
            #expect(try await counters.values()[.statusSyncs] == 4)
        }
    }
}
