import ddbLib from "@aws-sdk/lib-dynamodb";
import { paginateQuery } from "@aws-sdk/client-dynamodb";
import { docs, dynamo } from "./clients";
import { config } from "./config";

export async function session(id: string): Promise<unknown> {
  const out = await docs.get({ TableName: config.table, Key: { id } });
  return out.Item;
}

export async function history(user: string) {
  const cmd = new ddbLib.QueryCommand({ TableName: config.table, IndexName: "by-user" });
  await docs.send(cmd);
  for await (const page of paginateQuery({ client: dynamo }, { TableName: config.table })) {
    console.log(page.Count);
  }
}
