namespace FastPath.Model.Tables;

/// <summary>Per-entry exceptions that depend on the case of the question (CoreDNS compares some names as spelled).</summary>
[System.Flags]
public enum EntryFlags : byte
{
    None = 0,
    /// <summary>At the apex, NS is answered only when the name is all lower case (K/handler.go compares state.Name() with the zone as spelled).</summary>
    NsNeedsLowerCase = 1,
    /// <summary>ns.dns.&lt;zone&gt; is special only when the zone part is lower case (isDefaultNS); otherwise the name does not exist.</summary>
    ZoneNeedsLowerCase = 2,
}
