import Foundation
import PortalCore
import PortalStore
import PortalTestSupport
import Testing

/// Feedback about a dossier is published without the name of the dossier's applicant, who may not be the sender:
/// both the draft the officer is offered and the published texts leave it out.
@Suite struct FeedbackStoreTests {
    @Test(arguments: TestEngine.available)
    func theApplicantOfTheDossierAskedAboutIsNotPublished(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let (_, officer, procedure) = try await DossierStoreTests.prepared(database)
            let now = Date()
            let day = VietnamTime.localDate(of: now)
            let code =
                "\(DossierStoreTests.agency)-"
                + String(format: "%02d%02d%02d", day.year % 100, day.month, day.day) + "-0001"
            let item = SyncItem(
                dossierCode: code, procedureCode: procedure.code, agency: DossierStoreTests.agency,
                applicantType: 1, applicantID: "001090001234", applicantName: "Trần Thị Bích Ngọc", channel: 1,
                receivedAt: now, dueAt: nil, status: .received, eventID: "e1", eventAt: now, note: nil)
            let results = try await DossierSync(database: database).ingest(
                [(index: 0, item: item)], agencyCode: DossierStoreTests.agency, now: now)
            #expect(results.map(\.outcome) == [.applied])

            let feedback = FeedbackStore(database: database)
            let ref = try await feedback.submit(
                .init(
                    accountID: nil, senderName: "Lê Văn Tám", senderPhone: "0912345678", senderEmail: nil,
                    topic: .dossier, procedureCode: nil, agencyCode: nil, dossierCode: code,
                    title: "Hồ sơ của mẹ tôi Trần Thị Bích Ngọc quá hạn",
                    body: "Hồ sơ của bà TRẦN THỊ BÍCH NGỌC đã quá hạn trả kết quả mà chưa có thông báo."),
                now: now)
            let sent = try #require(try await feedback.item(ref: ref))
            let desk = FeedbackStore.Desk.agency(DossierStoreTests.agency)
            #expect(try await feedback.personalNames(of: sent) == ["Lê Văn Tám", "Trần Thị Bích Ngọc"])
            try await feedback.answer(
                id: sent.id, desk: desk, text: "Cơ quan đã trả kết quả cho bà Trần Thị Bích Ngọc hôm nay.",
                officerID: officer, now: now)
            let published = try await feedback.publish(
                id: sent.id, desk: desk, title: sent.title, question: sent.body,
                answer: "Cơ quan đã trả kết quả cho bà Trần Thị Bích Ngọc hôm nay.", now: now)
            for text in [published.title, published.question, published.answer] {
                #expect(!VietnameseText.fold(text).contains("tran thi bich ngoc"), "\(text)")
                #expect(text.contains("***"), "\(text)")
            }
        }
    }
}
