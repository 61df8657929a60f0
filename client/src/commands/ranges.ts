/** LSP ranges from the language server into VS Code ranges. */
import * as vscode from 'vscode';
import type { Range } from 'vscode-languageserver-types';

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
