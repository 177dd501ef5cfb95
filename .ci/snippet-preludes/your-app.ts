// Prelude of README fragments that test "your app": an app built from a torii issuer URL.
declare function buildApp(options: { issuer: string }): unknown;
