namespace FastPath.Model.Loading;

internal static class NodeReader
{
    public static Node? Read(YNode root)
    {
        var meta = MetaReader.Read(root, namespaced: false);
        return meta is null ? null : new Node { Meta = meta, Labels = MetaReader.Labels(root) };
    }
}
