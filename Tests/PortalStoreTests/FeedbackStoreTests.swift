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
            let code = try await DossierStoreTests.synced(
                database, procedure: procedure, sequence: 1, applicantName: "Trần Thị Bích Ngọc", receivedAt: now,
                now: now)

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
