import Foundation
import PortalCore
import PortalStore

/// How dossier facts are written on pages: dates as dd/mm/yyyy in Vietnam time, sizes in KB/MB, statuses as words.
enum DossierViews {
    static let timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .current

    /// `dd/MM/yyyy HH:mm` in Vietnam time.
    static func dateTime(_ date: Date?) -> String? {
        guard let date else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%02d/%02d/%04d %02d:%02d", parts.day ?? 0, parts.month ?? 0, parts.year ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// `1,2 MB` or `350 KB`.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1024 * 1024 {
            let tenths = Int((Double(bytes) / 1024 / 1024 * 10).rounded())
            return "\(tenths / 10),\(tenths % 10) MB"
        }
        return "\(max(1, (bytes + 1023) / 1024)) KB"
    }

    static func statusName(_ status: DossierStatus?, _ language: Language) -> String {
        guard let status else { return language == .english ? "Draft" : "Bản nháp" }
        return language == .english ? status.nameEn : status.nameVi
    }

    /// A status tag: the words, plus a class for the colour (never the only signal).
    struct StatusTag: Sendable {
        let text: String
        let tone: String

        init(_ status: DossierStatus?, _ language: Language) {
            text = DossierViews.statusName(status, language)
            switch status {
            case .processed?, .resultReturned?: tone = "tag-full"
            case .refused?, .stopped?, .withdrawn?: tone = "tag-ended"
            case .supplementRequested?, .paymentRequested?: tone = "tag-action"
            default: tone = ""
            }
        }
    }

    /// One line of a timeline, in words.
    struct TimelineItem: Sendable {
        let status: String
        let at: String
        let note: String?
    }

    static func timeline(_ dossier: Dossier, _ language: Language) -> [TimelineItem] {
        dossier.events.map { stored in
            TimelineItem(
                status: statusName(stored.event.status, language), at: dateTime(stored.event.at) ?? "",
                note: stored.event.note)
        }
    }

    /// A file with its download link.
    struct FileItem: Sendable {
        let id: Int64
        let name: String
        let size: String
        let url: String
        let removeURL: String?
    }

    static func file(_ file: DossierFile, ref: String, removable: Bool) -> FileItem {
        FileItem(
            id: file.id, name: file.name, size: size(file.size), url: "/ho-so/\(ref)/tep/\(file.id)",
            removeURL: removable ? "/ho-so/\(ref)/tep/\(file.id)/xoa" : nil)
    }

    /// The time left or overdue, in words, for officers.
    static func dueLabel(_ due: Date?, status: DossierStatus?, now: Date, _ language: Language) -> (String, Bool)? {
        guard let due, let status, !status.isTerminal, status != .processed else { return nil }
        let days = Int((due.timeIntervalSince(now) / 86_400).rounded(.down))
        if due < now {
            let late = max(1, -days)
            return (language == .english ? "Overdue by \(late) day(s)" : "Quá hạn \(late) ngày", true)
        }
        return (language == .english ? "Due \(dateTime(due) ?? "")" : "Hạn \(dateTime(due) ?? "")", false)
    }

    /// The applicant's details as the applicant's form and the officer's page list them.
    static func applicantRows(_ applicant: Applicant, _ localizer: Localizer, _ language: Language)
        -> [DossierDraftPage.Row]
    {
        func row(_ key: String, _ value: String?) -> DossierDraftPage.Row? {
            value.map { DossierDraftPage.Row(label: localizer.text(key, language), value: $0) }
        }
        let place = [applicant.communeName, applicant.provinceName].compactMap { $0 }.joined(separator: ", ")
        return [
            row("register_full_name", applicant.fullName), row("register_personal_id", applicant.personalID),
            row("register_tax_code", applicant.taxCode), row("register_birth_date", applicant.birthDate),
            row("register_phone", applicant.phone), row("register_email", applicant.email),
            row("register_province_code", place.isEmpty ? nil : place),
        ].compactMap { $0 }
    }
}
