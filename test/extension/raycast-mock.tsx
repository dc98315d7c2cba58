/**
 * A stand-in for `@raycast/api` (jest.config.js maps it here): every component renders a host
 * element named after itself (`MenuBarExtra.Item`, `List.Item.Detail`, ...) carrying its
 * props, so react-test-renderer records the whole tree: titles, icons and colours, items,
 * sections, actions. Functions (launchCommand, Clipboard.copy, ...) are jest mocks whose
 * calls the tests assert.
 */
import { createElement, type ReactNode } from "react";

type Props = Record<string, unknown> & { children?: ReactNode };

/**
 * `elementProps` name props that hold elements (an item's `detail` and `actions`, a detail's
 * `metadata`): they are rendered as children too, as Raycast renders them, so the recorded
 * tree contains them.
 */
function host(name: string, elementProps: string[] = []) {
  const component = (props: Props) =>
    createElement(name, props, props.children, ...elementProps.map((prop) => props[prop] as ReactNode));
  component.displayName = name;
  return component;
}

export const Color = {
  Blue: "raycast-blue",
  Green: "raycast-green",
  Magenta: "raycast-magenta",
  Orange: "raycast-orange",
  Purple: "raycast-purple",
  Red: "raycast-red",
  Yellow: "raycast-yellow",
  PrimaryText: "raycast-primary-text",
  SecondaryText: "raycast-secondary-text",
} as const;

/** Any icon name reads as itself (`Icon.Gauge === "Gauge"`). */
export const Icon = new Proxy({} as Record<string, string>, { get: (_target, name) => String(name) });

export const Keyboard = {
  Shortcut: {
    Common: {
      Copy: { modifiers: ["cmd", "shift"], key: "c" },
      Open: { modifiers: ["cmd"], key: "o" },
      Refresh: { modifiers: ["cmd"], key: "r" },
    },
  },
};

export enum LaunchType {
  UserInitiated = "userInitiated",
  Background = "background",
}

export const MenuBarExtra = Object.assign(host("MenuBarExtra"), {
  Item: host("MenuBarExtra.Item"),
  Section: host("MenuBarExtra.Section"),
  Submenu: host("MenuBarExtra.Submenu"),
  Separator: host("MenuBarExtra.Separator"),
});

const Metadata = Object.assign(host("List.Item.Detail.Metadata"), {
  Label: host("List.Item.Detail.Metadata.Label"),
  Separator: host("List.Item.Detail.Metadata.Separator"),
  Link: host("List.Item.Detail.Metadata.Link"),
  TagList: Object.assign(host("List.Item.Detail.Metadata.TagList"), {
    Item: host("List.Item.Detail.Metadata.TagList.Item"),
  }),
});

export const List = Object.assign(host("List", ["actions"]), {
  Section: host("List.Section"),
  EmptyView: host("List.EmptyView", ["actions"]),
  Item: Object.assign(host("List.Item", ["detail", "actions"]), {
    Detail: Object.assign(host("List.Item.Detail", ["metadata"]), { Metadata }),
  }),
});

export const ActionPanel = Object.assign(host("ActionPanel"), {
  Section: host("ActionPanel.Section"),
  Submenu: host("ActionPanel.Submenu"),
});

export const Action = Object.assign(host("Action"), {
  Style: { Regular: "regular", Destructive: "destructive" },
  CopyToClipboard: host("Action.CopyToClipboard"),
  OpenInBrowser: host("Action.OpenInBrowser"),
  Push: host("Action.Push"),
});

export const Clipboard = { copy: jest.fn(async () => undefined) };
export const launchCommand = jest.fn(async () => undefined);
export const open = jest.fn(async () => undefined);
export const openExtensionPreferences = jest.fn(async () => undefined);
export const showHUD = jest.fn(async () => undefined);
export const showToast = jest.fn(async () => ({ hide: jest.fn() }));
export const Toast = { Style: { Success: "success", Failure: "failure", Animated: "animated" } };
export const Alert = { ActionStyle: { Default: "default", Destructive: "destructive", Cancel: "cancel" } };
/** Answers every confirmation with `mockRaycast.confirm`; the alerts shown are recorded. */
export const confirmAlert = jest.fn(
  async (_options: { title: string; message?: string }) => mockRaycast.confirm,
);

/** What the tests control: preferences, the support path, the launch type. */
export const mockRaycast = {
  preferences: {} as Record<string, unknown>,
  cacheEntries: new Map<string, string>(),
  confirm: true,
  reset(supportPath: string, preferences: Record<string, unknown> = {}) {
    this.preferences = preferences;
    this.confirm = true;
    confirmAlert.mockClear();
    showToast.mockClear();
    this.cacheEntries.clear();
    environment.supportPath = supportPath;
    for (const fn of [Clipboard.copy, launchCommand, open, openExtensionPreferences, showHUD]) fn.mockClear();
  },
};

export function getPreferenceValues<T>(): T {
  return { ...mockRaycast.preferences } as T;
}

export const environment = {
  supportPath: "",
  launchType: LaunchType.UserInitiated,
  commandName: "menubar",
  commandMode: "menu-bar",
  extensionName: "quotacast",
  isDevelopment: true,
  appearance: "dark",
  theme: "dark",
  textSize: "medium",
  raycastVersion: "1.104.0",
  assetsPath: "",
};

/** Raycast's Cache: a synchronous string store (one map for every instance, reset per test). */
export class Cache {
  constructor(private readonly options: { namespace?: string } = {}) {}
  private key(key: string): string {
    return `${this.options.namespace ?? ""}:${key}`;
  }
  get(key: string): string | undefined {
    return mockRaycast.cacheEntries.get(this.key(key));
  }
  set(key: string, value: string): void {
    mockRaycast.cacheEntries.set(this.key(key), value);
  }
  has(key: string): boolean {
    return mockRaycast.cacheEntries.has(this.key(key));
  }
  remove(key: string): boolean {
    return mockRaycast.cacheEntries.delete(this.key(key));
  }
}
