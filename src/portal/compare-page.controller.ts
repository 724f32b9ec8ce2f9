import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '#src/authz/public.decorator.js';
import { HTML } from '#src/portal/portal.controller.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { compareCsv, compareView, type CompareSelection } from '#src/portal/views/compare.view.js';
import { compareProfiles, type Comparison } from '#src/profiles/profile-compare.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { profilesException, ProfilesErrorCode } from '#src/profiles/profiles.exception.js';

/** The maintainers' comparison page and its CSV download: the data of GET /api/v1/compare. */
@ApiExcludeController()
@Controller()
export class ComparePageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
  ) {}

  @Public()
  @Get('compare')
  @Header('content-type', HTML)
  page(@Query('provinces') provinces?: string | string[], @Query('only') only?: string | string[]): string {
    const selection = this.selection(provinces, only);
    const m = this.pages.messages(undefined);
    const view = compareView(this.compare(selection), this.provinceNames(), selection, m);
    return this.pages.render({ page: 'compare', title: m['compare.title'], current: 'compare', view, scripts: [this.pages.assetUrl('compare.js')] });
  }

  @Public()
  @Get('compare.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', `attachment; filename="province-compare.csv"; filename*=UTF-8''${encodeURIComponent('各省规则比较.csv')}`)
  csv(@Query('provinces') provinces?: string | string[], @Query('only') only?: string | string[]): string {
    const selection = this.selection(provinces, only);
    return compareCsv(this.compare(selection), this.provinceNames(), this.pages.messages(undefined));
  }

  /** `provinces` comes comma-separated (links, the API's form) or repeated (the page's checkboxes). */
  private selection(provinces: string | string[] | undefined, only: string | string[] | undefined): CompareSelection {
    const onlyValues = [only ?? []].flat();
    if (onlyValues.some((value) => value !== 'diff')) {
      throw profilesException(ProfilesErrorCode.COMPARE_BAD_QUERY, `参数 only 只能为 diff，收到“${onlyValues.join(',')}”`, { only: '只能为 diff' });
    }
    const requested = [provinces ?? []].flat().flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
    // Codes are accepted like ids; the page shows and links canonical ids.
    const ids = [...new Set(requested.map((value) => this.registry.require(value).profile.id))];
    return { ids, onlyDiff: onlyValues.length > 0 };
  }

  private compare(selection: CompareSelection): Comparison {
    // In the order asked for, like the API; all provinces (by code) when none is named.
    const chosen = selection.ids.length > 0 ? selection.ids.map((id) => this.registry.require(id)) : this.registry.current().profiles;
    return compareProfiles(chosen, { onlyDiff: selection.onlyDiff });
  }

  private provinceNames() {
    return this.registry.current().profiles.map(({ profile }) => ({ id: profile.id, name: profile.name }));
  }
}
