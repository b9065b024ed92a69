import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** A tool's answer as the MCP client returns it. */
export type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, any>;
};

/**
 * MCP clients of the portal's MCP server (`/api/mcp-actions/v1` of a
 * started backend), each connected as a user with their Backstage token,
 * or with none; `closeAll` at the end.
 */
export function mcpClients(options: {
  port: () => number;
  token: (user: string) => string;
}) {
  const clients: Client[] = [];
  const url = () =>
    new URL(`http://localhost:${options.port()}/api/mcp-actions/v1`);
  return {
    url,
    async connect(user?: string): Promise<Client> {
      const client = new Client({ name: 'platformops-test', version: '1' });
      const transport = new StreamableHTTPClientTransport(url(), {
        requestInit: user
          ? { headers: { Authorization: `Bearer ${options.token(user)}` } }
          : {},
      });
      clients.push(client);
      await client.connect(transport);
      return client;
    },
    async closeAll() {
      await Promise.all(clients.map(c => c.close().catch(() => undefined)));
    },
  };
}

/** Calls one of the suite's tools (`crossplane.<name>`). */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<ToolResult> {
  return (await client.callTool({
    name: `crossplane.${name}`,
    arguments: args,
  })) as ToolResult;
}

/** A tool answer's text, all its parts. */
export const textOf = (result: ToolResult) =>
  result.content.map(c => c.text ?? '').join('\n');
