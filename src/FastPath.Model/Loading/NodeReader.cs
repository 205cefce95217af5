namespace FastPath.Model.Loading;

internal static class NodeReader
{
    public static Node? Read(YNode root)
    {
        var meta = MetaReader.Read(root, namespaced: false);
        bool ok = meta is not null && MetaReader.Validate(root, NameRule.Dns1123Subdomain);
        return ok ? new Node { Meta = meta!, Labels = MetaReader.Labels(root) } : null;
    }
}
