/// An enum whose cases sort as they are declared (thread states, TCP states): reports list
/// them in that order, the order a reader knows from the tools that print them.
public protocol DeclarationOrdered: CaseIterable, Comparable where AllCases.Index == Int {}

extension DeclarationOrdered {
    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
