/** The status bar item that shows the last build's state and image; clicking it shows the build. */
import * as vscode from 'vscode';
import type { RememberedState } from './state';

const ICONS = { running: '$(sync~spin)', succeeded: '$(package)', failed: '$(error)', cancelled: '$(circle-slash)' } as const;

export function createBuildStatusItem(state: RememberedState): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('bootc.lastBuild', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Bootc Build';
  item.command = 'bootc.showLastBuild';
  const update = (): void => {
    const build = state.lastBuild;
    if (!build) {
      item.hide();
      return;
    }
    item.text = `${ICONS[build.state]} ${build.image}`;
    const when = build.finishedAt ? ` (${new Date(build.finishedAt).toLocaleTimeString()})` : '';
    item.tooltip = `bootc build of ${vscode.workspace.asRelativePath(vscode.Uri.parse(build.containerfile))}: ${build.state}${when}`;
    item.backgroundColor = build.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  update();
  const subscription = state.onDidChange(update);
  return vscode.Disposable.from(item, subscription);
}
