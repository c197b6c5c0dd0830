/// The agencies directory.
struct AgenciesPage: Sendable {
    struct Row: Sendable {
        let code: String
        let name: String
        let level: String
        let url: String
    }
    let query: String
    let summary: String
    let agencies: [Row]
    let hasAgencies: Bool
    let previousURL: String?
    let nextURL: String?
}

/// One agency and the procedures filed under it.
struct AgencyPage: Sendable {
    let code: String
    let name: String
    let level: String
    let province: String?
    let procedures: [ProcedureListItem]
    let hasProcedures: Bool
    let allLabel: String
    let allURL: String
}
