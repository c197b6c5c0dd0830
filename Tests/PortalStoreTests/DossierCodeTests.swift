import Foundation
import PortalCore
import PortalStore
import PortalTestSupport
import Testing

/// A dossier code is never given twice, even when the agency's own one-stop system reported codes of the same day
/// through sync before the portal allocated its own.
@Suite struct DossierCodeTests {
    @Test(arguments: TestEngine.available)
    func portalCodesSkipTheNumbersAnAgencyAlreadyReported(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let (citizen, _, procedure) = try await DossierStoreTests.prepared(database)
            _ = try await AgencyClients(database: database).add(agencyCode: DossierStoreTests.agency, name: "mot-cua")
            let now = Date()
            let day = VietnamTime.localDate(of: now)
            let stamp = String(format: "%02d%02d%02d", day.year % 100, day.month, day.day)
            // The agency's system reports its numbers 1, 2 and 7 of today.
            let items = [1, 2, 7].enumerated().map { index, number in
                (
                    index: index,
                    item: SyncItem(
                        dossierCode: "\(DossierStoreTests.agency)-\(stamp)-\(String(format: "%04d", number))",
                        procedureCode: procedure.code, agency: DossierStoreTests.agency, applicantType: 1,
                        applicantID: "001090001234", applicantName: "Nguyễn Văn An", channel: 1, receivedAt: now,
                        dueAt: nil, status: .received, eventID: "e\(number)", eventAt: now, note: nil)
                )
            }
            let results = try await DossierSync(database: database).ingest(
                items, agencyCode: DossierStoreTests.agency, now: now)
            #expect(results.allSatisfy { $0.outcome == .applied })
            let store = DossierStore(database: database)
            let first = try await DossierStoreTests.submitted(store, citizen: citizen, procedure: procedure, at: now)
            let second = try await DossierStoreTests.submitted(store, citizen: citizen, procedure: procedure, at: now)
            #expect(first.code == "\(DossierStoreTests.agency)-\(stamp)-0008")
            #expect(second.code == "\(DossierStoreTests.agency)-\(stamp)-0009")
        }
    }
}
