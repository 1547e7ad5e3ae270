/**
 * The monitor step in the local runtime: runs the monitors on `monitors.schedule`, reacts to
 * `sluice.step.failed` on the in-process bus, sends the daily digest, and answers `sluice monitor`. Alerts go to
 * Slack when `SLUICE_SLACK_WEBHOOK_URL` is set (environment or `SLUICE_HOME/secrets.json`); incidents are
 * recorded in `ops.alerts` either way, and dashboard links point at the running pipeline unless
 * `alerts.dashboardUrl` says otherwise.
 */
import { existsSync } from 'node:fs';
import { FsModelSource } from '../adapters/local/fs-model-source.js';
import type { ResolvedConfig } from '../core/config/config-types.js';
import type { AlertChannel } from '../core/monitor/alert-channel.js';
import {
  handleStepFailed,
  runMonitors,
  sendDigest,
  type MonitorPorts,
  type MonitorRunResult,
} from '../core/monitor/run-monitors.js';
import type { IncidentChange } from '../core/monitor/process-incidents.js';
import { SlackAlertChannel } from '../core/monitor/slack-alert-channel.js';
import type { Http, Ports } from '../core/ports.js';
import { readSourceFreshness, type SourceFreshnessRule } from '../core/transform/source-freshness.js';

/** Settings of a {@link LocalMonitor}. */
export interface LocalMonitorOptions {
  /** The models folder, whose `.yml` may declare source freshness. */
  readonly modelsDirectory?: string;
  /** Base URL of dashboard links when the config has none (the running pipeline's URL). */
  readonly dashboardUrl?: () => string | undefined;
  /** Outbound HTTP for Slack (default `fetch`). */
  readonly http?: Http;
  /** Alert channels (default: Slack through the incoming webhook secret). */
  readonly channels?: readonly AlertChannel[];
}

/** Runs the monitor step on the local ports. */
export class LocalMonitor {
  private readonly channels: readonly AlertChannel[];

  constructor(
    private readonly config: ResolvedConfig,
    private readonly ports: Ports,
    private readonly options: LocalMonitorOptions = {},
  ) {
    this.channels = options.channels ?? [
      new SlackAlertChannel({
        http: options.http ?? fetch,
        secrets: ports.secrets,
        clock: ports.clock,
        log: ports.log,
        ...(config.alerts.slack?.channel ? { channel: config.alerts.slack.channel } : {}),
      }),
    ];
  }

  /** Runs every monitor now (by the ports' clock). */
  async run(): Promise<MonitorRunResult> {
    return runMonitors(this.config, this.monitorPorts(), this.ports.clock.now(), {
      freshnessRules: await this.modelFreshness(),
      dashboardUrl: this.dashboardUrl(),
    });
  }

  /** Handles one `sluice.step.failed` event. */
  onStepFailed(detail: Readonly<Record<string, unknown>>): Promise<readonly IncidentChange[]> {
    return handleStepFailed(this.config, this.monitorPorts(), detail, this.ports.clock.now(), {
      dashboardUrl: this.dashboardUrl(),
    });
  }

  /** Sends the daily digest now. */
  digest(): Promise<boolean> {
    return sendDigest(this.config, this.monitorPorts(), this.ports.clock.now(), {
      dashboardUrl: this.dashboardUrl(),
    });
  }

  private monitorPorts(): MonitorPorts {
    return {
      warehouse: this.ports.warehouse,
      metrics: this.ports.metrics,
      bus: this.ports.bus,
      log: this.ports.log,
      queue: this.ports.queue,
      channels: this.channels,
    };
  }

  private dashboardUrl(): string | undefined {
    return this.config.alerts.dashboardUrl ?? this.options.dashboardUrl?.();
  }

  /** Freshness declared in the models' `.yml`; a project that does not parse declares none (the run says why). */
  private async modelFreshness(): Promise<SourceFreshnessRule[]> {
    const directory = this.options.modelsDirectory;
    if (!directory || !existsSync(directory)) return [];
    try {
      return await readSourceFreshness(new FsModelSource(directory));
    } catch (error) {
      this.ports.log.warn('model freshness rules unreadable', {
        reason: (error as Error).message.split('\n')[0],
      });
      return [];
    }
  }
}
