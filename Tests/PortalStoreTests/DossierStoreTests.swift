import Foundation
import PortalCore
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

@Suite struct DossierStoreTests {
    static let agency = "000.00.61.H29"

    /// A database with the demo catalogue, one citizen and one officer.
    static func prepared(_ database: Database) async throws -> (citizen: Int64, officer: Int64, procedure: Procedure) {
        _ = try await DemoCatalogue.bundled().loadIfEmpty(into: CatalogueStore(database: database))
        let accounts = AccountStore(database: database)
        let citizen = try await accounts.register(
            .init(
                role: "citizen", personalID: "001090001234", taxCode: nil, fullName: "Nguyễn Văn An",
                birthDate: "1990-03-27", sex: "male", phone: "0912345678", email: "an@example.vn", provinceCode: "01",
                communeCode: nil, passwordHash: "x"))
        let officer = try await accounts.createStaff(
            role: .officer, email: "cb@example.vn", fullName: "Cán Bộ", passwordHash: "x", agencyCode: agency)
        let procedure = try #require(try await CatalogueStore(database: database).procedure(code: "1.001193"))
        return (citizen, officer, procedure)
    }

    /// A dossier of `agency` received at `receivedAt`, reported by the agency's system through sync (one event,
    /// received); returns its code.
    static func synced(
        _ database: Database, procedure: Procedure, sequence: Int, applicantName: String, channel: Int = 1,
        receivedAt: Date, now: Date
    ) async throws -> String {
        let day = VietnamTime.localDate(of: receivedAt)
        let code =
            "\(agency)-" + String(format: "%02d%02d%02d-%04d", day.year % 100, day.month, day.day, sequence)
        let item = SyncItem(
            dossierCode: code, procedureCode: procedure.code, agency: agency, applicantType: 1,
            applicantID: "001090001234", applicantName: applicantName, channel: channel, receivedAt: receivedAt,
            dueAt: nil, status: .received, eventID: "synced-\(sequence)", eventAt: receivedAt, note: nil)
        let results = try await DossierSync(database: database).ingest(
            [(index: 0, item: item)], agencyCode: agency, now: now)
        #expect(results.map(\.outcome) == [.applied])
        return code
    }

    static func submitted(
        _ store: DossierStore, citizen: Int64, procedure: Procedure, at now: Date
    ) async throws -> Dossier {
        let applicant = Applicant(
            accountType: "citizen", fullName: "Nguyễn Văn An", personalID: "001090001234", taxCode: nil,
            birthDate: nil, sex: nil, phone: nil, email: nil, provinceName: nil, communeName: nil)
        let ref = try await store.createDraft(
            procedureCode: procedure.code, agencyCode: agency, applicantID: citizen, applicant: applicant,
            actorRole: "citizen", now: now)
        let schema = DossierFormSchema.standard(for: procedure)
        try await store.saveForm(ref: ref, applicantID: citizen, values: ["request_details": "Khai sinh"], now: now)
        let draft = try #require(try await store.dossier(ref: ref))
        _ = try await store.addFile(
            dossierID: draft.id, purpose: .application, slot: 0, name: "to-khai.pdf",
            sha256: String(repeating: "a", count: 64),
            size: 10, kind: "pdf", uploadedBy: .init(accountID: citizen, role: "citizen"), maximumDossierBytes: 1000,
            now: now)
        return try await store.submit(
            ref: ref, actor: .init(accountID: citizen, role: "citizen"), schema: schema, notifyEmail: nil, now: now)
    }

    @Test(arguments: TestEngine.available)
    func codesCountPerAgencyAndDayInVietnamTime(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let (citizen, _, procedure) = try await Self.prepared(database)
            let store = DossierStore(database: database)
            // 23:30 on 1 Dec 2025 in Hà Nội is 16:30 UTC; the next one is after midnight there.
            let first = try await Self.submitted(
                store, citizen: citizen, procedure: procedure,
                at: VietnamTime.instant(on: LocalDate(year: 2025, month: 12, day: 1)!, hour: 23, minute: 30))
            let second = try await Self.submitted(
                store, citizen: citizen, procedure: procedure,
                at: VietnamTime.instant(on: LocalDate(year: 2025, month: 12, day: 1)!, hour: 23, minute: 45))
            let third = try await Self.submitted(
                store, citizen: citizen, procedure: procedure,
                at: VietnamTime.instant(on: LocalDate(year: 2025, month: 12, day: 2)!, hour: 0, minute: 15))
            #expect(first.code == "\(Self.agency)-251201-0001")
            #expect(second.code == "\(Self.agency)-251201-0002")
            #expect(third.code == "\(Self.agency)-251202-0001")
            #expect(first.status == .submitted && first.history.map(\.status) == [.submitted])
            // Until reception, the due date is the 8 working hours the desk has to answer: a dossier sent at 23:30 on
            // Monday is due by the end of Tuesday's working day.
            #expect(
                first.dueAt == VietnamTime.instant(on: LocalDate(year: 2025, month: 12, day: 2)!, hour: 17, minute: 0))
        }
    }

    @Test(arguments: TestEngine.available)
    func theClockStartsPausesResumesAndIsExtendedOnceWithAnApology(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let (citizen, officer, procedure) = try await Self.prepared(database)
            let store = DossierStore(database: database)
            let monday = try #require(LocalDate(year: 2025, month: 12, day: 1))
            let dossier = try await Self.submitted(
                store, citizen: citizen, procedure: procedure, at: VietnamTime.instant(on: monday, hour: 8, minute: 0))
            let time = try #require(ProcessingTime.workingDays(1))
            let officerActor = DossierStore.Actor(accountID: officer, role: "officer")
            func apply(_ action: DossierAction, _ hour: Int, day: LocalDate = monday, version: Int? = nil) async throws
                -> Dossier
            {
                try await store.apply(
                    action, ref: dossier.ref, expectedVersion: version, actor: officerActor, processingTime: time,
                    calendar: .vietnam, notifyEmail: nil, now: VietnamTime.instant(on: day, hour: hour, minute: 0))
            }
            let received = try await apply(.receive, 9)
            // One working day from 09:00 Monday is 09:00 Tuesday.
            let tuesday = monday.adding(days: 1)
            #expect(received.dueAt == VietnamTime.instant(on: tuesday, hour: 9, minute: 0))
            // A stale version is a conflict and writes nothing.
            await #expect(throws: DossierStoreError.conflict) {
                _ = try await apply(.process, 10, version: dossier.version)
            }
            let extended = try await apply(
                .extend(
                    newDueAt: VietnamTime.instant(on: monday.adding(days: 3), hour: 16, minute: 0),
                    apology: "Xin lỗi vì chậm"),
                10)
            #expect(extended.status == .received)
            #expect(extended.dueAt == VietnamTime.instant(on: monday.adding(days: 3), hour: 16, minute: 0))
            #expect(extended.clock?.extensionNotice?.apology == "Xin lỗi vì chậm")
            // Only once.
            await #expect(throws: DossierStoreError.clock(.extensionAlreadyGranted)) {
                _ = try await apply(
                    .extend(
                        newDueAt: VietnamTime.instant(on: monday.adding(days: 4), hour: 16, minute: 0),
                        apology: "Lần nữa"), 11)
            }
            // A supplement request needs a reason; the rules say so with a typed error.
            await #expect(throws: DossierStoreError.transition(.reasonRequired(.supplementRequested))) {
                _ = try await apply(.requestSupplement(missing: "  "), 11)
            }
            let paused = try await apply(.requestSupplement(missing: "Thiếu giấy chứng sinh"), 11)
            #expect(paused.clock?.isPaused == true)
            // The applicant cannot send an empty supplement.
            await #expect(throws: DossierStoreError.supplementRequired) {
                _ = try await store.apply(
                    .supplement(note: ""), ref: dossier.ref, expectedVersion: nil,
                    actor: .init(accountID: citizen, role: "citizen"), processingTime: time, calendar: .vietnam,
                    notifyEmail: nil, now: VietnamTime.instant(on: tuesday, hour: 8, minute: 0))
            }
            let withFile = try #require(try await store.dossier(ref: dossier.ref))
            _ = try await store.addFile(
                dossierID: withFile.id, purpose: .supplement, slot: 0, name: "giay-chung-sinh.pdf",
                sha256: String(repeating: "b", count: 64), size: 10, kind: "pdf",
                uploadedBy: .init(accountID: citizen, role: "citizen"), maximumDossierBytes: 1000)
            let resumed = try await store.apply(
                .supplement(note: "Đã bổ sung"), ref: dossier.ref, expectedVersion: nil,
                actor: .init(accountID: citizen, role: "citizen"), processingTime: time, calendar: .vietnam,
                notifyEmail: nil, now: VietnamTime.instant(on: tuesday, hour: 8, minute: 0))
            #expect(resumed.status == .processing)
            #expect(resumed.clock?.isPaused == false)
            // Paused two working days before it was due (11:00 Mon → 16:00 Thu leaves 2 days 5 h); the time left
            // counts again from 08:00 Tuesday, so the due date moves later than the extended one.
            #expect((resumed.dueAt ?? .distantPast) > (extended.dueAt ?? .distantFuture))
            #expect(resumed.history.map(\.status) == [.submitted, .received, .supplementRequested, .processing])
        }
    }

    @Test(arguments: TestEngine.available)
    func sweepingRemovesOnlyOldUnreferencedFiles(engine: TestEngine) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestDatabases.withDatabase(engine) { database in
            let (citizen, _, procedure) = try await Self.prepared(database)
            let attachments = AttachmentStore(root: directory + "/attachments", maximumFileSize: 1 << 20)
            func store(_ text: String) throws -> StoredAttachment {
                let upload = try attachments.begin()
                try upload.append(Array(("%PDF-1.4\n" + text).utf8))
                return try upload.finish(name: try AttachmentName(validating: "a.pdf"))
            }
            let kept = try store("kept")
            let orphan = try store("orphan")
            let leftover = try attachments.begin()
            try leftover.append(Array("%PDF".utf8))
            let dossiers = DossierStore(database: database)
            let applicant = Applicant(
                accountType: "citizen", fullName: "A", personalID: nil, taxCode: nil, birthDate: nil, sex: nil,
                phone: nil, email: nil, provinceName: nil, communeName: nil)
            let ref = try await dossiers.createDraft(
                procedureCode: procedure.code, agencyCode: Self.agency, applicantID: citizen, applicant: applicant,
                actorRole: "citizen")
            let draft = try #require(try await dossiers.dossier(ref: ref))
            _ = try await dossiers.addFile(
                dossierID: draft.id, purpose: .application, slot: 0, name: "a.pdf", sha256: kept.sha256,
                size: kept.size, kind: "pdf", uploadedBy: .init(accountID: citizen, role: "citizen"),
                maximumDossierBytes: 1 << 20)
            // Young files are left alone (an upload may be finishing).
            let young = try await attachments.sweep(minimumAge: 3600) { try await dossiers.referencedHashes($0) }
            #expect(young == .init(temporaryFiles: 0, orphanBlobs: 0, keptBlobs: 2))
            let later = Date().addingTimeInterval(7200)
            let old = try await attachments.sweep(minimumAge: 3600, now: later) {
                try await dossiers.referencedHashes($0)
            }
            #expect(old == .init(temporaryFiles: 1, orphanBlobs: 1, keptBlobs: 1))
            #expect(FileManager.default.fileExists(atPath: try #require(attachments.path(forSHA256: kept.sha256))))
            #expect(!FileManager.default.fileExists(atPath: try #require(attachments.path(forSHA256: orphan.sha256))))
            leftover.cancel()
        }
    }

    @Test(arguments: TestEngine.available)
    func outboxMessagesAreDeliveredOnceAsFiles(engine: TestEngine) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestDatabases.withDatabase(engine) { database in
            let jobs = JobQueue(database: database)
            try await database.transaction { db in
                try await Notifications.queueMessage(
                    channel: .email, recipient: "an@example.vn", subject: "Hồ sơ 000.00.61.H29-251201-0001",
                    body: "Đã tiếp nhận", jobs: jobs, on: db)
            }
            // A rolled-back change queues nothing.
            await #expect(throws: DossierStoreError.self) {
                try await database.transaction { db in
                    try await Notifications.queueMessage(
                        channel: .sms, recipient: "0912345678", subject: "x", body: "x", jobs: jobs, on: db)
                    throw DossierStoreError.conflict
                }
            }
            let claimed = try await jobs.claim(workerID: "t", limit: 10, lease: .seconds(60))
            #expect(claimed.map(\.kind) == [OutboxDelivery.jobKind])
            let delivery = OutboxDelivery(database: database, transport: FileOutboxTransport(directory: directory))
            try await delivery.handle(try #require(claimed.first))
            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(files.count == 1)
            let text = try String(contentsOfFile: directory + "/" + files[0], encoding: .utf8)
            #expect(text.contains("To: an@example.vn") && text.contains("Đã tiếp nhận"))
            // A second delivery of the same job (a retry after a crash) sends nothing more.
            try FileManager.default.removeItem(atPath: directory + "/" + files[0])
            try await delivery.handle(try #require(claimed.first))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        }
    }
}
