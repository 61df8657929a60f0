/** The "Bootc VMs" view: the VMs started from this window, with Stop VM and SSH into VM on each. */
import * as vscode from 'vscode';
import type { RunningVm, RunningVms } from './commands/vm';

export const VM_VIEW_ID = 'bootc.vms';

/** A row of the view; the commands of its inline actions receive it. */
export interface VmItem {
  vm: RunningVm;
}

export class VmTreeProvider implements vscode.TreeDataProvider<VmItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<VmItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly vms: RunningVms) {
    this.subscription = vms.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: VmItem): VmItem[] {
    return element ? [] : this.vms.all().map((vm) => ({ vm }));
  }

  getTreeItem({ vm }: VmItem): vscode.TreeItem {
    const item = new vscode.TreeItem(vm.name, vscode.TreeItemCollapsibleState.None);
    item.id = vm.id;
    item.description = `SSH 127.0.0.1:${vm.sshPort} · ${vm.acceleration.accel}${vm.backend === 'libvirt' ? ' · libvirt' : ''}`;
    item.tooltip = new vscode.MarkdownString(`**${vm.name}**\n\nDisk: \`${vm.disk}\` (unchanged: the VM writes to an overlay)\n\nSSH: \`ssh -p ${vm.sshPort} USER@127.0.0.1\`\n\nAcceleration: ${vm.acceleration.reason}`);
    item.iconPath = new vscode.ThemeIcon('vm-running');
    item.contextValue = 'bootcVm';
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
