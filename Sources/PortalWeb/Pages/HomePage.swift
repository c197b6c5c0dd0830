/// The home page: what do I want to do, where is my dossier, who can help.
struct HomePage: Sendable {
    struct GroupCard: Sendable {
        let name: String
        let description: String
        let url: String
        let count: Int
    }
    struct Figure: Sendable {
        let label: String
        let value: String
    }
    let groups: [GroupCard]
    let popular: [ProcedureListItem]
    let figures: [Figure]
}
