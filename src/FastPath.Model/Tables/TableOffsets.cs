namespace FastPath.Model.Tables;

/// <summary>
/// Where each field sits inside one record of the <c>Entries</c> table (<see cref="CompiledLayout.EntrySize"/> bytes
/// per name). <see cref="CompiledLayout"/> writes the fields in this order; the engines read them by these names.
/// Integers are little-endian. See FORMAT.md next to this file.
/// </summary>
public static class EntryField
{
    /// <summary>i32: where the name's lower-case wire form starts in <c>Keys</c> (and its dotted form in <c>DottedKeys</c>).</summary>
    public const int KeyOffset = 0;
    /// <summary>u8: the wire name's length.</summary>
    public const int KeyLength = 4;
    /// <summary>u8: the index of the kubernetes zone the name lies in.</summary>
    public const int Zone = 5;
    /// <summary>u8: <see cref="EntryFlags"/>.</summary>
    public const int Flags = 6;
    /// <summary>i32: the name's answer set in <c>Sets</c> (one answer index per <see cref="QueryTypeGroup"/>).</summary>
    public const int AnswerSet = 8;
}

/// <summary>
/// Where each field sits inside one record of the <c>Answers</c> table (<see cref="CompiledLayout.AnswerSize"/> bytes
/// per distinct answer). Integers are little-endian.
/// </summary>
public static class AnswerField
{
    /// <summary>i32: where the answer's sections start in <c>AnswerData</c>.</summary>
    public const int DataOffset = 0;
    /// <summary>u16: the sections' length in bytes.</summary>
    public const int DataLength = 4;
    /// <summary>u8: the response code.</summary>
    public const int Rcode = 6;
    /// <summary>u8: 1 when the answer is authoritative (AA).</summary>
    public const int Authoritative = 7;
    /// <summary>u16: records in the answer section.</summary>
    public const int AnswerCount = 8;
    /// <summary>u16: records in the authority section.</summary>
    public const int AuthorityCount = 10;
    /// <summary>u16: records in the additional section.</summary>
    public const int AdditionalCount = 12;
    /// <summary>u16: the first address record of the answer section's run that loadbalance rotates.</summary>
    public const int AnswerRunFirst = 14;
    /// <summary>u16: the length of that run (0 when nothing rotates).</summary>
    public const int AnswerRunCount = 16;
    /// <summary>u16: the first address record of the additional section's rotating run, counted from the answer section.</summary>
    public const int AdditionalRunFirst = 18;
    /// <summary>u16: the length of that run (0 when nothing rotates).</summary>
    public const int AdditionalRunCount = 20;
    /// <summary>u16: how many zone pointers the engine patches (see <c>Fixups</c>).</summary>
    public const int FixupCount = 22;
    /// <summary>i32: the index (in i32 units) of the answer's first record start in <c>RecordOffsets</c>.</summary>
    public const int RecordOffsetsIndex = 24;
    /// <summary>i32: the index (in i32 units) of the answer's first zone-pointer offset in <c>Fixups</c>.</summary>
    public const int FixupsIndex = 28;
}
