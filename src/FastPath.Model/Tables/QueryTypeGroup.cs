namespace FastPath.Model.Tables;

/// <summary>
/// The groups of question types whose answers differ. Each table entry holds one answer per group; every type not
/// listed (MX for a service, HINFO, ANY, …) answers as <see cref="Other"/>. The order is part of the table format:
/// an answer set is <see cref="Count"/> answer indexes in this order.
/// </summary>
public enum QueryTypeGroup { A, AAAA, CNAME, TXT, PTR, MX, SRV, SOA, NS, Other }

/// <summary>The number of <see cref="QueryTypeGroup"/> values: the answer indexes in one answer set.</summary>
public static class QueryTypeGroups
{
    public const int Count = (int)QueryTypeGroup.Other + 1;
}
