import Foundation
import PortalCore
import PortalStore

/// The public statistics page `/thong-ke`: headline figures, the period's processing figures, charts with their
/// data tables, the agency ranking and online services by field.
struct StatisticsPage: Sendable {
    struct Figure: Sendable {
        let label: String
        let value: String
    }
    struct Row: Sendable {
        let cells: [String]
    }
    /// A chart and the table of the same figures.
    struct Chart: Sendable {
        let id: String
        let title: String
        let svg: String
        let headers: [String]
        let rows: [Row]
        let empty: Bool
    }
    struct AgencyRow: Sendable {
        let rank: Int
        let name: String
        let url: String
        let received: String
        let onlineShare: String
        let onTimeRate: String
        let finishedLate: String
        let openPastDeadline: String
        let averageWorkingDays: String
        let averageRating: String
    }
    struct ProcedureRow: Sendable {
        let code: String
        let name: String
        let url: String
        let received: String
        let onTimeRate: String
        let openPastDeadline: String
        let supplementRate: String
        let averageWorkingDays: String
    }
    let from: String
    let to: String
    let agency: String
    let agencyName: String?
    let errors: [FieldErrorItem]
    let figures: [Figure]
    let period: [Figure]
    let charts: [Chart]
    let agencies: [AgencyRow]
    let procedures: [ProcedureRow]
    let services: [Row]
    let asOf: String?
    let jsonURL: String
    let csvURL: String
    let hasErrors: Bool
    let hasAgencies: Bool
    let hasProcedures: Bool
}

/// An error shown in the summary at the top of a form and next to its field.
struct FieldErrorItem: Sendable {
    let field: String
    let message: String

    /// Errors by field, in the order of their field names.
    static func list(_ errors: [String: String]) -> [FieldErrorItem] {
        errors.sorted { $0.key < $1.key }.map { FieldErrorItem(field: $0.key, message: $0.value) }
    }
}

/// How figures read in each language.
enum StatisticsFormat {
    static func number(_ value: Int64) -> String { VietnameseText.formatNumber(value) }

    /// A percentage with one decimal: "95,2 %" in Vietnamese, "95.2%" in English; a dash when undefined.
    static func percent(_ ratio: Ratio, _ language: Language) -> String {
        guard let value = ratio.value else { return "–" }
        return decimal(value * 100, language) + (language == .english ? "%" : " %")
    }

    static func decimal(_ value: Double, _ language: Language) -> String {
        let text = String(format: "%.1f", value)
        return language == .english ? text : text.replacingOccurrences(of: ".", with: ",")
    }

    static func optional(_ value: Double?, _ language: Language) -> String {
        value.map { decimal($0, language) } ?? "–"
    }
}
