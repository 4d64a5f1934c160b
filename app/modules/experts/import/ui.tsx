/** The upload form, on the import page and under a report with errors ("upload a corrected file"). */
import { Form, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'

export function UploadForm({ label }: { label?: string }) {
  const t = useT()
  const navigation = useNavigation()
  return (
    <Form method="post" action="/experts/import" encType="multipart/form-data" className="flex flex-col gap-3">
      <label className="label" htmlFor="import-file">
        {label ?? t('expertImport.file')}
      </label>
      <input
        id="import-file"
        name="file"
        type="file"
        required
        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
        className="input"
      />
      <div>
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
          {t('expertImport.upload')}
        </button>
      </div>
    </Form>
  )
}
