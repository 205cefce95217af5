namespace FastPath.Model.Tables;

/// <summary>
/// splitmix64's finaliser: a fixed, well-mixed 64-bit hash step, the same in every process. Name hashes (the tables'
/// perfect hash), IP keys (persistence, source hashing) and Maglev's permutations all mix through this one copy.
/// </summary>
public static class SplitMix64
{
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30; x *= 0xbf58476d1ce4e5b9UL;
        x ^= x >> 27; x *= 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }
}
